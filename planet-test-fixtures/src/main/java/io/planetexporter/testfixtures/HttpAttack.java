package io.planetexporter.testfixtures;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;

/**
 * What an attacker on the network does to an HTTP server, from loopback addresses of its own
 * ({@code 127.<net>.x.y}, a few connections from each so that a cap per address is not what stops
 * them): connections that stall halfway through a request or a TLS handshake and are opened again
 * as soon as the server closes them, and clients that read a large response at a trickle. For
 * {@code HttpFrontIT} and {@code bench/http-front.sh}; it stops when closed.
 */
public final class HttpAttack implements AutoCloseable {

  /** How a stalled connection stops. */
  public enum Stall {
    /** The request line and part of a header, then nothing. */
    HALF_REQUEST("GET /metrics HTTP/1.1\r\nHost: x\r\nX-a: ".getBytes(US_ASCII)),
    /** The first bytes of a TLS record carrying a ClientHello of 512 bytes, which never come. */
    HALF_HANDSHAKE(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01}),
    /** Nothing at all. */
    SILENT(new byte[0]);

    private final byte[] bytes;

    Stall(byte[] bytes) {
      this.bytes = bytes;
    }
  }

  private final List<Runnable> parts = new ArrayList<>();
  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong slowBytes = new AtomicLong();
  private volatile boolean running = true;

  private HttpAttack() {}

  /** An attack with nothing in it yet. */
  public static HttpAttack on() {
    return new HttpAttack();
  }

  /**
   * Keeps {@code count} connections to {@code target} stalled as {@code how} says, {@code
   * perAddress} from each source address {@code 127.<net>.x.y}; one thread for them all.
   */
  public HttpAttack stall(InetSocketAddress target, int count, Stall how, int net, int perAddress)
      throws IOException {
    Selector selector = Selector.open();
    List<InetAddress> sources = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sources.add(source(net, i / perAddress));
    }
    Thread thread =
        new Thread(
            () -> {
              try {
                for (InetAddress source : sources) {
                  open(selector, target, source, how);
                }
                ByteBuffer sink = ByteBuffer.allocate(4096);
                while (running) {
                  selector.select(200);
                  for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid() || !key.isReadable()) {
                      continue;
                    }
                    SocketChannel channel = (SocketChannel) key.channel();
                    int read;
                    try {
                      sink.clear();
                      read = channel.read(sink);
                    } catch (IOException e) {
                      read = -1;
                    }
                    if (read < 0) {
                      // Closed by the server: open another at once, from the same address.
                      InetAddress source = (InetAddress) key.attachment();
                      key.cancel();
                      channel.close();
                      if (running) {
                        open(selector, target, source, how);
                      }
                    }
                  }
                  selector.selectedKeys().clear();
                }
              } catch (IOException e) {
                if (running) {
                  throw new UncheckedIOException(e);
                }
              } finally {
                for (SelectionKey key : selector.keys()) {
                  try {
                    key.channel().close();
                  } catch (IOException ignored) {
                    // closing anyway
                  }
                }
              }
            },
            "stall-" + how);
    thread.setDaemon(true);
    parts.add(
        () -> {
          running = false;
          selector.wakeup();
          try {
            thread.join(5000);
            selector.close();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    thread.start();
    return this;
  }

  private void open(Selector selector, InetSocketAddress target, InetAddress source, Stall how)
      throws IOException {
    SocketChannel channel = SocketChannel.open();
    try {
      channel.bind(new InetSocketAddress(source, 0));
      channel.connect(target); // blocking: loopback connects at once, or is refused
      channel.write(ByteBuffer.wrap(how.bytes));
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ, source);
      opened.incrementAndGet();
    } catch (IOException e) {
      // Refused (a full backlog): tried again on the next close, like a real attacker.
      channel.close();
    }
  }

  /**
   * Starts {@code count} clients that each send {@code request} and read the answer at {@code
   * bytesPerSecond}, with a receive buffer of 1 KiB, from {@code 127.<net>.0.<i>}; {@code sockets}
   * makes their sockets (plain or TLS).
   */
  public HttpAttack slowReaders(
      InetSocketAddress target,
      int count,
      SocketFactory sockets,
      String request,
      int bytesPerSecond,
      int net) {
    for (int i = 0; i < count; i++) {
      InetAddress source = source(net, i);
      Thread thread =
          new Thread(
              () -> {
                try (Socket socket = sockets.createSocket()) {
                  // A reader that stops goes away at once (a reset), as a killed client does: with
                  // a graceful close and its window shut, the server may learn of it only late.
                  socket.setSoLinger(true, 0);
                  socket.setReceiveBufferSize(1024);
                  socket.bind(new InetSocketAddress(source, 0));
                  socket.connect(target, 5000);
                  socket.getOutputStream().write(request.getBytes(US_ASCII));
                  socket.getOutputStream().flush();
                  InputStream in = socket.getInputStream();
                  byte[] buffer = new byte[bytesPerSecond];
                  while (running) {
                    int n = in.readNBytes(buffer, 0, bytesPerSecond);
                    if (n <= 0) {
                      return;
                    }
                    slowBytes.addAndGet(n);
                    Thread.sleep(1000);
                  }
                } catch (IOException e) {
                  // cut off by the server, or closed by close()
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "slow-reader-" + i);
      thread.setDaemon(true);
      parts.add(thread::interrupt);
      thread.start();
    }
    return this;
  }

  /**
   * Whether the server has left {@code socket} open: no end and no reset within 50 ms (what arrives
   * meanwhile is read and dropped).
   */
  public static boolean leftOpen(Socket socket) {
    try {
      socket.setSoTimeout(50);
      return socket.getInputStream().read() != -1;
    } catch (SocketTimeoutException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stalled connections opened so far, reopened ones included. */
  public long opened() {
    return opened.get();
  }

  /** Bytes the slow readers have read so far. */
  public long slowBytes() {
    return slowBytes.get();
  }

  private static InetAddress source(int net, int index) {
    try {
      return InetAddress.getByAddress(
          new byte[] {127, (byte) net, (byte) (index / 250), (byte) (index % 250 + 1)});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stops every part: the stalled connections are closed, the slow readers stop. */
  @Override
  public void close() {
    running = false;
    for (Runnable part : parts) {
      part.run();
    }
  }
}
