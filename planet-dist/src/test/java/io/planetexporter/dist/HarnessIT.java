package io.planetexporter.dist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The harness's checkers, on known input, so that a test passing on them means something. */
class HarnessIT {

  @Nested
  class PromtoolCheckMetrics {

    @Test
    void acceptsWellFormedText() {
      assertThat(
              Promtool.checkMetrics(
                  """
                  # HELP planet_things_total Things seen.
                  # TYPE planet_things_total counter
                  planet_things_total{kind="a"} 3
                  """))
          .isEmpty();
    }

    @Test
    void reportsACounterWithoutTotalSuffix() {
      assertThat(
              Promtool.checkMetrics(
                  """
                  # HELP planet_things Things seen.
                  # TYPE planet_things counter
                  planet_things 3
                  """))
          .contains("_total");
    }

    @Test
    void reportsTextThatDoesNotParse() {
      assertThat(Promtool.checkMetrics("planet_things{kind=\"a\" 3\n")).contains("line 1");
    }
  }

  @Nested
  class PrometheusServerScraping {

    @Test
    void storesWhatItsTargetServes() throws IOException {
      HttpServer target =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      target.createContext(
          "/metrics",
          exchange -> {
            byte[] body = "# TYPE planet_answer gauge\nplanet_answer 42\n".getBytes(UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      target.start();
      String address = "127.0.0.1:" + target.getAddress().getPort();
      try (PrometheusServer prometheus = PrometheusServer.start(address)) {
        prometheus.awaitTargetsUp(Duration.ofSeconds(30));

        JsonNode result = prometheus.awaitResult("planet_answer", Duration.ofSeconds(30));

        assertThat(result).hasSize(1);
        assertThat(result.get(0).path("metric").path("instance").asText()).isEqualTo(address);
        assertThat(result.get(0).path("value").get(1).asText()).isEqualTo("42");
      } finally {
        target.stop(0);
      }
    }
  }
}
