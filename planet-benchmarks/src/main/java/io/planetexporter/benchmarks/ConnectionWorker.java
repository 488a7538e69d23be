package io.planetexporter.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A child process of {@link ConnectionHarness}: holds established TCP connections on loopback, both
 * ends in this process, from many 127.x.y.z source addresses to one listener of its own.
 *
 * <p>Arguments: worker index, connections, TIME_WAIT sockets to leave behind once, connections to
 * replace every second (churn), and source addresses: 0 for a new 127.(100 + worker).a.b every
 * {@link #CONNECTIONS_PER_SOURCE} connections, or a count of 127.99.a.b addresses that every worker
 * of a namespace shares, one connection from each in turn (the container placement). Prints {@code
 * ready <listener port>} once everything is open, then holds the connections until its standard
 * input closes (so it never outlives its parent), and then resets them (SO_LINGER 0) so that no
 * TIME_WAIT socket is left behind.
 */
final class ConnectionWorker {
  /** Connections per source address; far below the 28,232 ephemeral ports of each. */
  static final int CONNECTIONS_PER_SOURCE = 500;

  private final ServerSocketChannel listener;
  private final int workerIndex;
  private final int sharedSources;
  private final Deque<Pair> pairs = new ArrayDeque<>();
  private long opened;

  private ConnectionWorker(int workerIndex, int sharedSources) throws IOException {
    this.workerIndex = workerIndex;
    this.sharedSources = sharedSources;
    this.listener = ServerSocketChannel.open();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
  }

  public static void main(String[] args) throws Exception {
    ConnectionWorker worker =
        new ConnectionWorker(Integer.parseInt(args[0]), Integer.parseInt(args[4]));
    int connections = Integer.parseInt(args[1]);
    int timeWait = Integer.parseInt(args[2]);
    int churnPerSecond = Integer.parseInt(args[3]);
    for (int i = 0; i < connections; i++) {
      worker.pairs.add(worker.openPair());
    }
    for (int i = 0; i < timeWait; i++) {
      // The client closes first, so the TIME_WAIT socket is on its (upstream) side.
      Pair pair = worker.openPair();
      pair.client.close();
      pair.server.close();
    }
    ScheduledExecutorService churn = Executors.newSingleThreadScheduledExecutor();
    if (churnPerSecond > 0) {
      churn.scheduleAtFixedRate(() -> worker.churn(churnPerSecond), 1, 1, TimeUnit.SECONDS);
    }
    System.out.println("ready " + worker.listener.socket().getLocalPort());
    System.out.flush();
    BufferedReader stdin =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
    while (stdin.readLine() != null) {
      // Nothing to do: the parent only ever closes our standard input.
    }
    churn.shutdownNow();
    churn.awaitTermination(10, TimeUnit.SECONDS);
    worker.resetAll();
  }

  /** Replaces the oldest connections; the server side closes first and keeps the TIME_WAIT. */
  private synchronized void churn(int count) {
    try {
      for (int i = 0; i < count && !pairs.isEmpty(); i++) {
        Pair pair = pairs.removeFirst();
        pair.server.close();
        pair.client.close();
      }
      for (int i = 0; i < count; i++) {
        pairs.addLast(openPair());
      }
    } catch (IOException e) {
      throw new IllegalStateException("churn failed", e);
    }
  }

  private Pair openPair() throws IOException {
    SocketChannel client = SocketChannel.open();
    client.bind(
        new InetSocketAddress(
            sharedSources > 0
                ? sharedSourceAddress(opened++ % sharedSources)
                : sourceAddress(workerIndex, opened++),
            0));
    client.connect(listener.getLocalAddress());
    // One pending connection at a time, so the accepted one is this client's peer.
    return new Pair(client, listener.accept());
  }

  /** 127.(100 + worker).a.b, a new address every {@link #CONNECTIONS_PER_SOURCE} connections. */
  static InetAddress sourceAddress(int workerIndex, long connection) throws IOException {
    int source = (int) (connection / CONNECTIONS_PER_SOURCE % (250 * 250));
    return InetAddress.getByAddress(
        new byte[] {
          127, (byte) (100 + workerIndex), (byte) (source / 250), (byte) (source % 250 + 1)
        });
  }

  /** 127.99.a.b, the {@code source}th of the addresses the workers of a namespace share. */
  static InetAddress sharedSourceAddress(long source) throws IOException {
    return InetAddress.getByAddress(
        new byte[] {127, 99, (byte) (source / 250), (byte) (source % 250 + 1)});
  }

  private synchronized void resetAll() throws IOException {
    for (Pair pair : pairs) {
      pair.client.setOption(StandardSocketOptions.SO_LINGER, 0);
      pair.server.setOption(StandardSocketOptions.SO_LINGER, 0);
      pair.client.close();
      pair.server.close();
    }
    pairs.clear();
    listener.close();
  }

  private record Pair(SocketChannel client, SocketChannel server) {}
}
