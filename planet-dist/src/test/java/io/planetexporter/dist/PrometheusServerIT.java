package io.planetexporter.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.planetexporter.testfixtures.ExporterProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A real Prometheus server scrapes the exporter and stores what it serves. */
class PrometheusServerIT {

  @Test
  void prometheusScrapesThePlanetHostnameOfTheExporter() {
    try (ExporterProcess exporter = ExporterProcess.start();
        PrometheusServer prometheus = PrometheusServer.start(exporter.target())) {
      prometheus.awaitTargetsUp(Duration.ofSeconds(30));

      JsonNode series =
          prometheus.awaitResult(
              "planet_hostname{instance=\"" + exporter.target() + "\"}", Duration.ofSeconds(30));

      assertThat(series).hasSize(1);
      JsonNode labels = series.get(0).path("metric");
      assertThat(labels.path("job").asText()).isEqualTo("planet");
      assertThat(labels.path("hostname").asText()).isNotEmpty();
      assertThat(exporter.scrape())
          .contains("hostname=\"" + labels.path("hostname").asText() + "\"")
          .contains("ip=\"" + labels.path("ip").asText() + "\"");
    }
  }
}
