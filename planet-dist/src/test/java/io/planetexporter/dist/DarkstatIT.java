package io.planetexporter.dist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.planetexporter.testfixtures.ExporterProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exporter from the tarball scraping a loopback server that serves darkstat's real captured
 * page (../shared/fixtures/darkstat/metrics-ipv4.txt), as if darkstat ran on 198.18.0.1.
 */
class DarkstatIT {

  private static final String PAGE = "DarkstatIT/metrics-ipv4.txt";
  private static final PeerTrafficLines TRAFFIC =
      new PeerTrafficLines("planet_traffic_bytes_total");

  private LoopbackPage darkstat;

  @BeforeEach
  void startDarkstat() throws IOException {
    darkstat = LoopbackPage.serving(DarkstatIT.class, PAGE);
  }

  @AfterEach
  void stopDarkstat() {
    darkstat.close();
  }

  /** The exporter with the darkstat task reading the loopback page, on host 198.18.0.1. */
  private ExporterProcess startExporter(String... moreFlags) {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "-task-darkstat-enabled",
                "-task-darkstat-addr",
                darkstat.url(),
                "-primary-ip",
                "198.18.0.1"));
    flags.addAll(List.of(moreFlags));
    return ExporterProcess.start(flags.toArray(String[]::new));
  }

  @Test
  void servesDarkstatsCapturedBytesPerPeerAsCounters() {
    try (ExporterProcess exporter = startExporter()) {
      exporter.awaitReady(Duration.ofSeconds(90));
      String scrape = exporter.scrape();

      assertThat(TRAFFIC.in(scrape))
          .containsExactlyInAnyOrder(
              TRAFFIC.line("egress", "198.18.0.2", "1152.0"),
              TRAFFIC.line("ingress", "198.18.0.2", "1001516.0"),
              TRAFFIC.line("egress", "198.18.0.3", "250736.0"),
              TRAFFIC.line("ingress", "198.18.0.3", "632.0"),
              TRAFFIC.line("egress", "198.18.0.4", "4424.0"),
              TRAFFIC.line("ingress", "198.18.0.4", "64528.0"),
              TRAFFIC.line("egress", "198.18.0.5", "1584.0"),
              TRAFFIC.line("ingress", "198.18.0.5", "10280.0"));
      assertThat(scrape).contains("# TYPE planet_traffic_bytes_total counter");
      assertThat(scrape).contains("planet_scrape_collector_success{collector=\"darkstat\"} 1");
      assertThat(Promtool.checkMetrics(scrape)).isEmpty();
      assertThat(exporter.stop()).isZero();
    }
  }

  @Test
  void realPrometheusStoresTheCountersAndOpenMetricsNamesThemToo() {
    try (ExporterProcess exporter = startExporter();
        PrometheusServer prometheus = PrometheusServer.start(exporter.target())) {
      exporter.awaitReady(Duration.ofSeconds(90));
      String openMetrics =
          exporter.get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0").body();
      assertThat(openMetrics)
          .contains("# TYPE planet_traffic_bytes counter")
          .contains(TRAFFIC.line("ingress", "198.18.0.2", "1001516.0"));

      prometheus.awaitTargetsUp(Duration.ofSeconds(30));
      JsonNode result =
          prometheus.awaitResult(
              "planet_traffic_bytes_total{remote_ip=\"198.18.0.2\",direction=\"ingress\"}",
              Duration.ofSeconds(30));
      assertThat(result).hasSize(1);
      assertThat(result.get(0).path("metric").path("local_hostgroup").asText())
          .isEqualTo("198.18.0.1");
      assertThat(result.get(0).path("value").get(1).asText()).isEqualTo("1001516");
      assertThat(
              prometheus
                  .awaitResult("count(planet_traffic_bytes_total)", Duration.ofSeconds(30))
                  .get(0)
                  .path("value")
                  .get(1)
                  .asText())
          .isEqualTo("8");
    }
  }

  @Test
  void namesPeersThroughTheInventoryTask(@TempDir Path dir) throws IOException {
    Path inventory = dir.resolve("inventory.json");
    Files.writeString(
        inventory,
        """
        [{"ip_address": "198.18.0.1", "domain": "pe-a.example", "hostgroup": "planet"},
         {"ip_address": "198.18.0.2", "domain": "db.example", "hostgroup": "db"}]
        """,
        UTF_8);
    try (ExporterProcess exporter =
        startExporter(
            "-task-darkstat-interval",
            "1s",
            "-task-inventory-enabled",
            "-task-inventory-addr",
            inventory.toString())) {
      exporter.awaitReady(Duration.ofSeconds(90));
      // The two tasks start together: darkstat's first run may precede the first inventory.
      String expected =
          "planet_traffic_bytes_total{direction=\"ingress\",local_domain=\"pe-a.example\","
              + "local_hostgroup=\"planet\",remote_domain=\"db.example\",remote_hostgroup=\"db\","
              + "remote_ip=\"198.18.0.2\"} 1001516";
      String scrape = awaitScrapeContaining(exporter, expected, Duration.ofSeconds(30));
      assertThat(scrape)
          .contains(
              "planet_traffic_bytes_total{direction=\"ingress\",local_domain=\"pe-a.example\","
                  + "local_hostgroup=\"planet\",remote_domain=\"\",remote_hostgroup=\"\","
                  + "remote_ip=\"198.18.0.3\"} 632");
      assertThat(exporter.stop()).isZero();
    }
  }

  @Test
  void servesNoTrafficWithSuccessZeroWhileDarkstatServesGarbageThenRecovers() throws IOException {
    darkstat.serve("<html>not metrics</html>\n".getBytes(UTF_8));
    try (ExporterProcess exporter = startExporter("-task-darkstat-interval", "1s")) {
      exporter.awaitReady(Duration.ofSeconds(90));
      String failed =
          awaitScrapeContaining(
              exporter,
              "planet_scrape_collector_success{collector=\"darkstat\"} 0",
              Duration.ofSeconds(30));
      assertThat(failed).doesNotContain("planet_traffic_bytes_total{");
      // The other tasks (socketstat runs by default) are untouched by darkstat's failure.
      assertThat(failed).contains("planet_scrape_collector_success{collector=\"socketstat\"} 1");
      assertThat(Promtool.checkMetrics(failed)).isEmpty();

      darkstat.serve(LoopbackPage.resource(DarkstatIT.class, PAGE));
      String recovered =
          awaitScrapeContaining(
              exporter,
              "planet_scrape_collector_success{collector=\"darkstat\"} 1",
              Duration.ofSeconds(30));
      assertThat(recovered).contains(TRAFFIC.line("ingress", "198.18.0.2", "1001516.0"));
      assertThat(exporter.stop()).isZero();
    }
  }

  @Test
  void refusesToStartEnabledWithoutAUsableAddress() {
    ExporterProcess.Result missing = ExporterProcess.run("-task-darkstat-enabled");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.stderr()).contains("-task-darkstat-addr: required when the task is enabled");

    ExporterProcess.Result ftp =
        ExporterProcess.run("-task-darkstat-enabled", "-task-darkstat-addr", "ftp://x/metrics");
    assertThat(ftp.exitCode()).isEqualTo(2);
    assertThat(ftp.stderr()).contains("-task-darkstat-addr: unsupported scheme");
  }

  private static String awaitScrapeContaining(
      ExporterProcess exporter, String fragment, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String scrape = exporter.scrape();
      if (scrape.contains(fragment)) {
        return scrape;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "no "
                + fragment
                + " within "
                + timeout
                + " in:\n"
                + scrape
                + "\nstderr:\n"
                + exporter.stderr());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
