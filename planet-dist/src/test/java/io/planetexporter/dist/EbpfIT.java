package io.planetexporter.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.testfixtures.ExporterProcess;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The exporter from the tarball scraping a loopback stand-in for ebpf_exporter's tcptop page. */
class EbpfIT {

  private static final PeerTrafficLines TRAFFIC =
      new PeerTrafficLines("planet_ebpf_traffic_bytes_total");

  @Test
  void servesTcptopBytesSummedPerPeerAsCounters() throws IOException {
    try (LoopbackPage ebpf = LoopbackPage.serving(EbpfIT.class, "EbpfIT/tcptop.txt");
        ExporterProcess exporter =
            ExporterProcess.start(
                "-task-ebpf-enabled", "-task-ebpf-addr", ebpf.url(), "-primary-ip", "198.18.0.1")) {
      exporter.awaitReady(Duration.ofSeconds(90));
      String scrape = exporter.scrape();

      // Summed over every pid and port; loopback and the host's own address are not peers.
      assertThat(TRAFFIC.in(scrape))
          .containsExactlyInAnyOrder(
              TRAFFIC.line("egress", "198.18.0.2", "1000.0"),
              TRAFFIC.line("ingress", "198.18.0.2", "155000.0"),
              TRAFFIC.line("egress", "198.18.0.3", "1500000.0"),
              TRAFFIC.line("ingress", "198.18.0.3", "2048.0"),
              TRAFFIC.line("egress", "fd42::2", "123.0"),
              TRAFFIC.line("ingress", "fd42::2", "10000.0"),
              TRAFFIC.line("egress", "fd42::3", "5.0"));
      assertThat(scrape).contains("planet_scrape_collector_success{collector=\"ebpf\"} 1");
      assertThat(Promtool.checkMetrics(scrape)).isEmpty();
      assertThat(exporter.stop()).isZero();
    }
  }
}
