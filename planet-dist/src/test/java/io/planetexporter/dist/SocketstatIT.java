package io.planetexporter.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.planetexporter.task.socketstat.LoopbackSockets;
import io.planetexporter.testfixtures.ExporterProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exporter from the tarball serves the socketstat series of real loopback sockets opened by
 * this test: its own ({@code java}) and those of child processes named {@code pe-client}.
 */
class SocketstatIT {

  private static final String PRIMARY_IP = "198.18.0.1";

  @TempDir Path temp;

  @Test
  void servesExactSeriesForTheTestsLoopbackSockets() throws Exception {
    assumeTrue(LoopbackSockets.available(), "needs /bin/bash for the named client process");
    try (LoopbackSockets sockets = LoopbackSockets.open(temp);
        ExporterProcess exporter =
            ExporterProcess.start("-primary-ip", PRIMARY_IP, "-task-socketstat-interval", "1s")) {
      String expected = sockets.expectedSeries(PRIMARY_IP, "java");

      String text;
      String actual;
      // Past the 60 s of TIME_WAIT: a socket another test left behind, connected to a port that an
      // earlier server held and one of these listeners took again, shows as an extra upstream
      // series until the kernel drops it.
      Instant deadline = Instant.now().plus(Duration.ofSeconds(70));
      do {
        Thread.sleep(200);
        text = exporter.scrape();
        actual = sockets.seriesOfItsPorts(text);
      } while (!actual.equals(expected) && Instant.now().isBefore(deadline));

      assertThat(actual).isEqualTo(expected);
      assertThat(Promtool.checkMetrics(text)).isEmpty();
      assertThat(text)
          .contains("planet_scrape_collector_success{collector=\"socketstat\"} 1")
          .contains("planet_socketstat_sockets{protocol=\"tcp\",state=\"time_wait\"}")
          .contains("# TYPE planet_socketstat_fd_walks_total counter");
      assertThat(exporter.stop()).isZero();
    }
  }
}
