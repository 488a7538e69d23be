package io.planetexporter.web;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.testfixtures.HttpAttack;
import io.planetexporter.testfixtures.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front over mutual TLS when records arrive in pieces: the handshake and the request still go
 * through, and a client that stops halfway through a record no longer holds a pooled buffer of a
 * whole record's size (issue 20).
 */
@Timeout(60)
class StalledTlsConnectionsTest {

  // The first bytes of a TLS record that announces a ClientHello of 512 bytes, which never come.
  private static final byte[] HALF_CLIENT_HELLO = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01};
  // Jetty's buffer for a record is the engine's packet size, 16,709 bytes, rounded up by its pool.
  private static final long RECORD_BUFFER = 16_709;
  // A socket, its Jetty end point and the placeholder: about 2 KB. An HTTP connection made at once
  // brought it to 4 KB, a TLS engine with its HTTP connection to 13 KB.
  private static final long SILENT_BOUND = 3_000;

  @TempDir static Path dir;
  private static SSLContext client;
  private static WebSecurity web;

  @BeforeAll
  static void files() throws Exception {
    client = TestPki.writeServerAndClient(dir);
    Path file = dir.resolve("web.yml");
    Files.writeString(
        file,
        """
        tls_server_config:
          cert_file: server.crt
          key_file: server.key
          client_ca_file: ca.crt
          client_auth_type: RequireAndVerifyClientCert
        """);
    web = WebSecurity.load(file);
  }

  private static WebFront start() throws IOException {
    return WebFront.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        web,
        Routes.builder().exact("/-/healthy", Endpoint.HEALTHY).build(),
        WebFront.CONNECTIONS_PER_ADDRESS,
        () -> {});
  }

  @Test
  void completesAHandshakeAndARequestSentAFewBytesAtATime() throws Exception {
    try (WebFront front = start();
        Trickle trickle = new Trickle(front.address().getPort());
        SSLSocket socket =
            (SSLSocket)
                client
                    .getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), trickle.port())) {
      socket.setSoTimeout(20_000);
      socket
          .getOutputStream()
          .write(
              "GET /-/healthy HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                  .getBytes(US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), US_ASCII);

      assertThat(answer).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nOK\n");
      assertThat(trickle.pieces).as("pieces the client's bytes were sent in").isGreaterThan(100);
    }
  }

  @Test
  void keepsLessThanARecordBufferForAClientStoppedHalfwayThroughItsClientHello() throws Exception {
    // What a connection stalled halfway through a TLS record costs beyond one stalled halfway
    // through a plain request (the socket, Jetty's HTTP connection): its TLS engine, and the
    // partial record, which Jetty alone would keep in a buffer of a whole record's size.
    long plain =
        heapPerStalledConnection(WebSecurity.NONE, "GET / HTTP/1.1\r\nX-a: ".getBytes(US_ASCII));
    long tls = heapPerStalledConnection(web, HALF_CLIENT_HELLO);
    System.out.printf(
        "StalledTlsConnectionsTest: heap a connection stalled mid-record, %d bytes over plain"
            + " http, %d over TLS%n",
        plain, tls);

    assertThat(tls - plain).isLessThan(RECORD_BUFFER);
  }

  @Test
  void makesNoTlsEngineNorHttpConnectionForAConnectionThatSendsNothing() throws Exception {
    // A silent connection holds its socket and a placeholder until its first bytes, over TLS as
    // over plain http.
    long plain = heapPerStalledConnection(WebSecurity.NONE, new byte[0]);
    long tls = heapPerStalledConnection(web, new byte[0]);
    System.out.printf(
        "StalledTlsConnectionsTest: heap a silent connection, %d bytes over plain http, %d over"
            + " TLS%n",
        plain, tls);

    assertThat(plain).isLessThan(SILENT_BOUND);
    assertThat(tls).isLessThan(SILENT_BOUND);
  }

  private long heapPerStalledConnection(WebSecurity security, byte[] stall) throws Exception {
    int connections = 500;
    try (WebFront front =
        WebFront.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            security,
            Routes.builder().exact("/-/healthy", Endpoint.HEALTHY).build(),
            WebFront.CONNECTIONS_PER_ADDRESS,
            () -> {})) {
      List<SocketChannel> stalled = new ArrayList<>();
      try {
        long before = settledHeap();
        for (int i = 0; i < connections; i++) {
          SocketChannel channel = SocketChannel.open();
          stalled.add(channel);
          channel.bind(new InetSocketAddress(InetAddress.getByName("127.0.7." + (1 + i / 50)), 0));
          channel.connect(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), front.address().getPort()));
          channel.write(ByteBuffer.wrap(stall));
        }
        Thread.sleep(1000); // the server has read what each sent
        long perConnection = (liveHeap() - before) / connections;
        // Still open (a sample: each look takes 50 ms), so what was measured is what they hold.
        assertThat(stalled.subList(0, 10))
            .allMatch(channel -> HttpAttack.leftOpen(channel.socket()));
        return perConnection;
      } finally {
        for (SocketChannel channel : stalled) {
          channel.close();
        }
      }
    }
  }

  /** The live heap once what earlier measurements left behind has gone (two readings agree). */
  private static long settledHeap() throws Exception {
    long last = liveHeap();
    for (int i = 0; i < 20; i++) {
      Thread.sleep(250);
      long now = liveHeap();
      if (Math.abs(now - last) < 32 * 1024) {
        return now;
      }
      last = now;
    }
    return last;
  }

  /**
   * The bytes of every live object, client and server together, from the JVM's class histogram
   * (which collects first): exact, where the heap's "used" counts whole regions and moves by
   * megabytes.
   */
  private static long liveHeap() throws Exception {
    String histogram =
        (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram",
                    new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
    Matcher total = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(histogram);
    assertThat(total.find()).as("a total in the class histogram").isTrue();
    return Long.parseLong(total.group(1));
  }

  /**
   * A relay on loopback that sends the client's bytes to the server 1 to 7 at a time, each in a
   * segment of its own, and the server's back as they come.
   */
  private static final class Trickle implements AutoCloseable {

    private final ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    private final List<Socket> sockets = new ArrayList<>();
    private volatile int pieces;

    Trickle(int serverPort) throws IOException {
      Thread thread =
          new Thread(
              () -> {
                try {
                  Socket in = listening.accept();
                  Socket out = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                  out.setTcpNoDelay(true);
                  synchronized (sockets) {
                    sockets.add(in);
                    sockets.add(out);
                  }
                  InputStream answers = out.getInputStream();
                  Thread back = new Thread(() -> copy(answers, in), "trickle-back");
                  back.setDaemon(true);
                  back.start();
                  trickle(in.getInputStream(), out.getOutputStream());
                } catch (IOException | InterruptedException e) {
                  // closed by the test
                }
              },
              "trickle");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return listening.getLocalPort();
    }

    private void trickle(InputStream from, OutputStream to)
        throws IOException, InterruptedException {
      byte[] buffer = new byte[4096];
      for (int n; (n = from.read(buffer)) != -1; ) {
        for (int at = 0; at < n; ) {
          int size = Math.min(1 + pieces % 7, n - at);
          to.write(buffer, at, size);
          to.flush();
          at += size;
          pieces++;
          Thread.sleep(1);
        }
      }
    }

    private static void copy(InputStream from, Socket to) {
      try {
        from.transferTo(to.getOutputStream());
        to.shutdownOutput();
      } catch (IOException e) {
        // closed by the test
      }
    }

    @Override
    public void close() throws IOException {
      listening.close();
      synchronized (sockets) {
        for (Socket socket : sockets) {
          socket.close();
        }
      }
    }
  }
}
