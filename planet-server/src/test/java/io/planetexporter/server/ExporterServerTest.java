package io.planetexporter.server;

import static io.planetexporter.testfixtures.TestHttpClient.local;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.testfixtures.HttpAttack;
import io.planetexporter.testfixtures.TestHttpClient;
import io.planetexporter.web.WebFront;
import io.planetexporter.web.WebSecurity;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(60)
class ExporterServerTest {

  private static final TestHttpClient http = TestHttpClient.create().timeout(Duration.ofSeconds(5));

  @Test
  void answersAFailedScrapeWith500AndNoStackTrace() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    MultiCollector failing =
        () -> {
          throw new IllegalStateException("secret internals");
        };
    registry.register(failing);
    try (TestServers.Running server = TestServers.start(WebSecurity.NONE, registry)) {
      HttpResponse<String> response = http.get(local(server.port(), "/metrics"));

      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.body()).doesNotContain("secret internals").doesNotContain("\tat ");
    }
  }

  @Test
  void answersHeadOfMetricsWithTheLengthOfGetAndNoBody() throws Exception {
    try (TestServers.Running server =
        TestServers.start(WebSecurity.NONE, new PrometheusRegistry())) {
      HttpResponse<String> get = http.get(local(server.port(), "/metrics"));
      HttpResponse<String> head =
          http.send(
              http.request(local(server.port(), "/metrics"))
                  .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()),
              HttpResponse.BodyHandlers.ofString());

      assertThat(get.body()).contains(AbortedResponses.NAME + "_total 0.0");
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
      assertThat(head.headers().firstValueAsLong("Content-Length"))
          .hasValue(get.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "/metricsx, 404",
    "/-/healthy/x, 404",
    "/nope, 404",
    "/-/healthy, 200",
    "/, 200",
  })
  void servesExactlyTheFourPaths(String path, int status) throws Exception {
    try (TestServers.Running server =
        TestServers.start(WebSecurity.NONE, new PrometheusRegistry())) {
      assertThat(http.get(local(server.port(), path)).statusCode()).isEqualTo(status);
    }
  }

  @Nested
  class Stalling {

    /**
     * Opens connections that each send the first bytes of a request and then nothing, from {@code
     * 127.0.1.x}, fewer than {@link WebFront#CONNECTIONS_PER_ADDRESS} from each x: the cap per
     * address is not what is tested here.
     */
    private List<Socket> stall(int port, int count, byte[] partial) throws IOException {
      List<Socket> sockets = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.1." + (1 + i / 50)), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        socket.getOutputStream().write(partial);
        socket.getOutputStream().flush();
        sockets.add(socket);
      }
      return sockets;
    }

    @Test
    void answersWhileTwoHundredConnectionsSendHalfARequestAndCutsThemAtTheIdleTimeout()
        throws Exception {
      try (TestServers.Running server =
          TestServers.start(WebSecurity.NONE, new PrometheusRegistry())) {
        List<Socket> stalled = stall(server.port(), 200, "GET /metr".getBytes());
        List<Socket> silent = stall(server.port(), 50, new byte[0]);
        try {
          Thread.sleep(200); // let the server hand every stalled connection a thread
          long start = System.nanoTime();
          assertThat(http.get(local(server.port(), "/-/healthy")).statusCode()).isEqualTo(200);
          assertThat(http.get(local(server.port(), "/metrics")).statusCode()).isEqualTo(200);
          // Correctness within a generous bound, not a benchmark: without the fix this waits for
          // the client's 5s timeout.
          assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
          for (Socket socket : stalled) {
            assertThat(closedByServer(socket, deadline)).isTrue();
          }
          for (Socket socket : silent) {
            assertThat(closedByServer(socket, deadline)).isTrue();
          }
        } finally {
          for (Socket socket : stalled) {
            socket.close();
          }
          for (Socket socket : silent) {
            socket.close();
          }
        }
      }
    }

    @Test
    void closesConnectionsBeyondTheCapOfOneAddressWhileOthersAreServed() throws Exception {
      try (TestServers.Running server =
          TestServers.start(WebSecurity.NONE, new PrometheusRegistry())) {
        List<Socket> sockets = new ArrayList<>();
        try {
          InetAddress greedy = InetAddress.getByName("127.0.2.1");
          for (int i = 0; i < WebFront.CONNECTIONS_PER_ADDRESS + 10; i++) {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(greedy, 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            sockets.add(socket);
          }
          // Which ones are refused is Jetty's order of opening them, not necessarily the last.
          Thread.sleep(500);
          List<Socket> open = sockets.stream().filter(HttpAttack::leftOpen).toList();
          assertThat(open).hasSize(WebFront.CONNECTIONS_PER_ADDRESS);
          // The ones within the cap are served, and so is another address.
          Socket first = open.get(0);
          first
              .getOutputStream()
              .write("GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(US_ASCII));
          first.setSoTimeout(5000);
          assertThat(new String(first.getInputStream().readNBytes(12), US_ASCII))
              .isEqualTo("HTTP/1.1 200");
          assertThat(http.get(local(server.port(), "/-/healthy")).statusCode()).isEqualTo(200);
        } finally {
          for (Socket socket : sockets) {
            socket.close();
          }
        }
      }
    }

    private boolean closedByServer(Socket socket, long deadlineNanos) throws IOException {
      long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
      socket.setSoTimeout((int) left);
      try (InputStream in = socket.getInputStream()) {
        while (in.read() != -1) {
          // drain whatever the server wrote before closing
        }
        return true;
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true; // reset by the server
      }
    }

    @Test
    void answersScrapesBeyondTheLimit503WhileHealthStaysUp() throws Exception {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch entered = new CountDownLatch(MetricsEndpoint.MAX_CONCURRENT_SCRAPES);
      PrometheusRegistry registry = new PrometheusRegistry();
      MultiCollector slow =
          () -> {
            entered.countDown();
            try {
              release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return MetricSnapshots.of();
          };
      registry.register(slow);
      try (TestServers.Running server = TestServers.start(WebSecurity.NONE, registry)) {
        List<CompletableFuture<HttpResponse<String>>> slowScrapes = new ArrayList<>();
        for (int i = 0; i < MetricsEndpoint.MAX_CONCURRENT_SCRAPES; i++) {
          slowScrapes.add(http.getAsync(local(server.port(), "/metrics")));
        }
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        HttpResponse<String> refused = http.get(local(server.port(), "/metrics"));
        HttpResponse<String> healthy = http.get(local(server.port(), "/-/healthy"));
        release.countDown();

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(healthy.statusCode()).isEqualTo(200);
        for (CompletableFuture<HttpResponse<String>> scrape : slowScrapes) {
          assertThat(scrape.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, 127.0.0.1:9100",
    "::1, [::1]:9100",
    "::, [::]:9100",
    "fd00:0:0:1::5, [fd00:0:0:1::5]:9100",
    "2001:db8:0:0:1:0:0:1, [2001:db8::1:0:0:1]:9100",
    "2001:db8:0:1:1:1:1:1, [2001:db8:0:1:1:1:1:1]:9100",
    "fd00::, [fd00::]:9100"
  })
  void writesTheAddressWithIpv6InBracketsAndShortForm(String ip, String expected) throws Exception {
    assertThat(ExporterServer.format(new InetSocketAddress(InetAddress.getByName(ip), 9100)))
        .isEqualTo(expected);
  }
}
