package io.planetexporter.task.socketstat.netlink;

import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.RecentAddresses;
import io.planetexporter.task.socketstat.table.Socket;
import io.planetexporter.task.socketstat.table.SocketColumns;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Captures the fixtures of {@code CloseOrdersTest} from this machine's kernel, as root: for each
 * order of closing one loopback connection (the client sends {@link #A} bytes, the server answers
 * {@link #B}), each end's message in a dump before the close ({@code <end>-live.bin}), its destroy
 * event ({@code <end>-destroyed.bin}) and, when {@code DestroyEvents} looks one up, the kernel's
 * answer to the lookup of what it left behind ({@code <end>-left.bin}), made as the event arrived,
 * as {@code DestroyEvents} makes it. Each file is one netlink message exactly as received.
 *
 * <p>Run in a network namespace of its own, so that nothing else closes meanwhile; the second run,
 * with no time-wait socket allowed, writes under {@code no-time-wait/}:
 *
 * <pre>
 * CP=target/classes:target/test-classes:jna-5.17.0.jar
 * DIR=src/test/resources/io/planetexporter/task/socketstat/bytes/CloseOrdersTest
 * MAIN=io.planetexporter.task.socketstat.netlink.CaptureCloseOrders
 * unshare -n sh -c "ip link set lo up &amp;&amp; java -cp $CP $MAIN $DIR"
 * unshare -n sh -c "ip link set lo up &amp;&amp; sysctl -qw net.ipv4.tcp_max_tw_buckets=0 \
 *     &amp;&amp; java -cp $CP $MAIN $DIR/no-time-wait"
 * </pre>
 */
final class CaptureCloseOrders {

  static final int A = 12_345;
  static final int B = 54_321;

  /** Sent by the server beyond B, and never read by the client. */
  static final int UNREAD = 1_000;

  /** How long a late server waits between reading the client's end and closing. */
  private static final int LATE_MILLIS = 300;

  private CaptureCloseOrders() {}

  /**
   * The orders of closing, as the fixtures' README describes them (and {@code ByteExchangeHelper}
   * plays them between two namespaces); each name, in lower case with dashes, is a directory.
   */
  enum Order {
    CLIENT_CLOSES_FIRST,
    CLIENT_CLOSES_FIRST_SERVER_LATE,
    CLIENT_SHUTS_DOWN_DRAINS_CLOSES,
    SERVER_CLOSES_FIRST,
    CLIENT_ABORTS,
    SERVER_ABORTS,
    CLIENT_CLOSES_WITH_UNREAD_DATA;

    String directory() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    for (Order order : Order.values()) {
      Path out = dir.resolve(order.directory());
      Files.createDirectories(out);
      capture(order, out);
      System.out.println("captured " + out);
    }
  }

  private static void capture(Order order, Path out) throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (Events events = Events.listen(out);
        ServerSocket listener = new ServerSocket(0, 1, loopback);
        java.net.Socket client = new java.net.Socket(loopback, listener.getLocalPort());
        java.net.Socket server = listener.accept()) {
      prepare(order, client, server);
      Thread.sleep(200); // every byte acked
      events.expect("client", dump(client, out.resolve("client-live.bin")));
      events.expect("server", dump(server, out.resolve("server-live.bin")));
      finish(order, client, server);
      events.await();
    }
  }

  private static void prepare(Order order, java.net.Socket client, java.net.Socket server)
      throws IOException {
    client.getOutputStream().write(new byte[A]);
    if (order == Order.CLIENT_SHUTS_DOWN_DRAINS_CLOSES) {
      client.shutdownOutput();
      expectEnd(server.getInputStream(), A);
    } else {
      server.getInputStream().readNBytes(A);
    }
    server.getOutputStream().write(new byte[B]);
    client.getInputStream().readNBytes(B);
    if (order == Order.CLIENT_CLOSES_WITH_UNREAD_DATA) {
      server.getOutputStream().write(new byte[UNREAD]);
    }
  }

  private static void finish(Order order, java.net.Socket client, java.net.Socket server)
      throws Exception {
    switch (order) {
      case CLIENT_CLOSES_FIRST, CLIENT_CLOSES_FIRST_SERVER_LATE -> {
        client.close();
        expectEnd(server.getInputStream(), 0);
        if (order == Order.CLIENT_CLOSES_FIRST_SERVER_LATE) {
          Thread.sleep(LATE_MILLIS);
        }
        server.close();
      }
      case CLIENT_SHUTS_DOWN_DRAINS_CLOSES -> {
        server.close();
        expectEnd(client.getInputStream(), 0);
        client.close();
      }
      case SERVER_CLOSES_FIRST -> {
        server.close();
        expectEnd(client.getInputStream(), 0);
        client.close();
      }
      case CLIENT_ABORTS, CLIENT_CLOSES_WITH_UNREAD_DATA -> {
        if (order == Order.CLIENT_ABORTS) {
          client.setSoLinger(true, 0);
        }
        client.close();
        expectReset(server);
        server.close();
      }
      case SERVER_ABORTS -> {
        server.setSoLinger(true, 0);
        server.close();
        expectReset(client);
        client.close();
      }
    }
  }

  /** Reads {@code bytes}, then the end of the stream. */
  private static void expectEnd(InputStream in, int bytes) throws IOException {
    if (in.readNBytes(bytes).length != bytes || in.read() != -1) {
      throw new IOException("expected " + bytes + " bytes and the end");
    }
  }

  /** Reads what the reset left: the end, or (mostly) the reset itself. */
  private static void expectReset(java.net.Socket socket) throws IOException {
    try {
      if (socket.getInputStream().read() != -1) {
        throw new IOException("expected a reset");
      }
    } catch (SocketException expected) {
      // Connection reset
    }
  }

  /** Writes the message of {@code end} in a dump of every TCP socket; returns its cookie. */
  private static long dump(java.net.Socket end, Path file) throws IOException {
    try (NetlinkSocket netlink = NetlinkSocket.open(0)) {
      netlink.send(InetDiag.tcpDumpRequest(InetDiag.ALL_STATES, 1));
      ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
      Long cookie = null;
      while (true) {
        netlink.receive(buffer);
        ByteBuffer in = buffer.duplicate().order(ByteOrder.nativeOrder());
        if (in.getShort(4) == InetDiag.NLMSG_DONE) {
          if (cookie == null) {
            throw new IOException("no socket for " + end + " in the dump");
          }
          return cookie;
        }
        for (byte[] message : messages(buffer)) {
          Socket socket = decode(message);
          if (socket != null
              && socket.localPort() == end.getLocalPort()
              && socket.remotePort() == end.getPort()) {
            Files.write(file, message);
            cookie = socket.cookie();
          }
        }
      }
    }
  }

  /** The messages of the datagram in {@code buffer}. */
  private static Iterable<byte[]> messages(ByteBuffer buffer) {
    ByteBuffer in = buffer.duplicate().order(ByteOrder.nativeOrder());
    List<byte[]> messages = new ArrayList<>();
    for (int at = 0; at + InetDiag.NLMSG_HEADER <= in.limit(); ) {
      int length = in.getInt(at);
      if (length < InetDiag.NLMSG_HEADER || at + length > in.limit()) {
        break;
      }
      byte[] message = new byte[length];
      in.get(at, message);
      messages.add(message);
      at += (length + 3) & ~3;
    }
    return messages;
  }

  /** The socket of one message, or null for another kind of message. */
  private static Socket decode(byte[] message) {
    SocketColumns columns = new SocketColumns(1);
    try {
      InetDiag.decode(
          ByteBuffer.wrap(message), Protocol.TCP, new RecentAddresses(), columns, () -> {});
    } catch (NetlinkException e) {
      return null;
    }
    return columns.isEmpty() ? null : columns.get(0);
  }

  /**
   * The destroy events of the two ends, found by cookie, each with its lookup made at once by a
   * thread of their own, as {@code DestroyEvents} makes it.
   */
  private static final class Events implements AutoCloseable {
    private final NetlinkSocket events;
    private final NetlinkSocket lookups;
    private final Path out;
    private final Map<Long, String> ends = new ConcurrentHashMap<>();
    private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Exception failure;
    private int sequence;

    private Events(NetlinkSocket events, NetlinkSocket lookups, Path out) {
      this.events = events;
      this.lookups = lookups;
      this.out = out;
      this.thread = new Thread(this::listen, "capture-destroy-events");
    }

    static Events listen(Path out) throws NetlinkException {
      NetlinkSocket events = NetlinkSocket.open(DestroyEvents.TCP_DESTROY_GROUPS);
      events.receiveTimeout(100);
      NetlinkSocket lookups = NetlinkSocket.open(0);
      lookups.receiveTimeout(1000);
      Events listening = new Events(events, lookups, out);
      listening.thread.start();
      return listening;
    }

    void expect(String end, long cookie) {
      ends.put(cookie, end);
    }

    private void listen() {
      ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
      ByteBuffer answer = ByteBuffer.allocateDirect(4096);
      try {
        while (running) {
          if (events.receive(buffer) <= 0) {
            continue;
          }
          for (byte[] message : messages(buffer)) {
            Socket closed = decode(message);
            String end = closed == null ? null : ends.get(closed.cookie());
            if (end == null) {
              continue;
            }
            Files.write(out.resolve(end + "-destroyed.bin"), message);
            DestroyEvents.announced(
                closed,
                c -> {
                  lookups.send(InetDiag.lookupRequest(c, ++sequence));
                  lookups.receive(answer);
                  byte[] left = new byte[answer.remaining()];
                  answer.duplicate().get(left);
                  write(out.resolve(end + "-left.bin"), left);
                  return DestroyEvents.leftBehind(
                      answer, new RecentAddresses(), new SocketColumns(1));
                });
            seen.put(end, true);
          }
        }
      } catch (IOException | RuntimeException e) {
        failure = e;
      }
    }

    private static void write(Path file, byte[] bytes) {
      try {
        Files.write(file, bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void await() throws Exception {
      long deadline = System.nanoTime() + 3_000_000_000L;
      while (seen.size() < 2 && failure == null && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      if (failure != null) {
        throw failure;
      }
      if (seen.size() < 2) {
        throw new IOException("destroy events of " + new HashMap<>(seen) + " only");
      }
    }

    @Override
    public void close() {
      running = false;
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      events.close();
      lookups.close();
    }
  }
}
