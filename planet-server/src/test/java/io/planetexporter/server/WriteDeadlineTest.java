package io.planetexporter.server;

import static io.planetexporter.testfixtures.TestHttpClient.local;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.testfixtures.TestHttpClient;
import io.planetexporter.web.WebFront;
import io.planetexporter.web.WebSecurity;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that asks for a large page and stops reading it is cut off once nothing has moved for
 * {@link WebFront#IDLE_TIMEOUT}, and counted in {@code planet_http_aborted_responses_total}. It
 * waits the real timeout; it is its own class to keep that wait out of the others.
 */
class WriteDeadlineTest {

  /** About 20 MB of text: far more than the kernel buffers of a loopback connection hold. */
  private static final int SERIES = 250_000;

  private static MetricSnapshots largePage() {
    GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name("test_large_page").help("Filler.");
    String filler = "x".repeat(40);
    for (int i = 0; i < SERIES; i++) {
      gauge.dataPoint(
          GaugeSnapshot.GaugeDataPointSnapshot.builder()
              .labels(Labels.of("series", filler + i))
              .value(i)
              .build());
    }
    return MetricSnapshots.of(gauge.build());
  }

  @Test
  @Timeout(180)
  void cutsOffAClientThatStopsReadingALargeResponse() throws Exception {
    MetricSnapshots page = largePage();
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register((MultiCollector) () -> page);
    try (TestServers.Running server = TestServers.start(WebSecurity.NONE, registry)) {
      long whole = TestHttpClient.create().getBytes(local(server.port(), "/metrics")).body().length;
      assertThat(whole).isGreaterThan(16L << 20);

      try (Socket slowReader = new Socket()) {
        slowReader.setReceiveBufferSize(4096);
        slowReader.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
        slowReader
            .getOutputStream()
            .write("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(US_ASCII));
        slowReader.getOutputStream().flush();
        // The client reads nothing past the idle timeout.
        Thread.sleep(WebFront.IDLE_TIMEOUT.plusSeconds(3).toMillis());

        // What it can still read is what the kernel buffered before the server gave up.
        assertThat(drain(slowReader)).isLessThan(whole);
      }
      // Meanwhile and afterwards the server answers others, and counts the cut response.
      assertThat(TestHttpClient.create().get(local(server.port(), "/-/healthy")).statusCode())
          .isEqualTo(200);
      assertThat(
              TestHttpClient.create()
                  .get(local(server.port(), "/metrics?name[]=" + AbortedResponses.NAME + "_total"))
                  .body())
          .contains(AbortedResponses.NAME + "_total 1.0");
    }
  }

  /** Bytes read until the server closes; a connection still open after 10 s quiet reads on. */
  private static long drain(Socket socket) throws IOException {
    socket.setSoTimeout(10_000);
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    try (InputStream in = socket.getInputStream()) {
      for (int n; (n = in.read(buffer)) != -1; ) {
        total += n;
      }
    } catch (SocketTimeoutException e) {
      return Long.MAX_VALUE; // never closed: the response was not cut off
    } catch (IOException e) {
      // reset by the server: cut off
    }
    return total;
  }
}
