package io.planetexporter.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.testfixtures.ExporterProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball's exporter with its shipped JVM flags ({@code -Xmx256m}) and every fetching task fed
 * documents at its default limits, all at once and again every 2 seconds: darkstat and ebpf each
 * get, in turn, a 63 MiB page of one line and a 63 MiB page of 400,000 hosts (each under the 64 MiB
 * body limit), the inventory a 59 MiB document of 250,000 entries. Together they would need several
 * times the heap; the memory budget of fetched documents (half the heap) refuses what does not fit
 * and the line limit the one-line pages, each naming itself. Throughout, the process never exits,
 * every scrape answers, and its peak RSS stays under {@link #MAX_RSS_MIB} (the figure
 * docs/operator-guide.md states).
 *
 * <p>Runs for {@code -Dplanet.fetchbudget.seconds} (45 by default, for CI); bench/fetch-budget.sh
 * runs it for 10 minutes.
 */
class FetchBudgetIT {

  /** The peak RSS the operator guide promises under any input, in MiB. */
  private static final long MAX_RSS_MIB = 320;

  private static final long PAGE_BYTES = 63L << 20;
  private static final int HOSTS = 400_000;

  @TempDir Path dir;

  @Test
  void everyFetchingTaskAtItsLargestAtOnceNeverEndsTheProcess() throws Exception {
    Duration duration = Duration.ofSeconds(Long.getLong("planet.fetchbudget.seconds", 45));
    Path oneLine = HeavyInputs.oneLine(dir.resolve("one-line.txt"), PAGE_BYTES);
    Path darkstat =
        HeavyInputs.padded(
            HeavyInputs.darkstat(dir.resolve("darkstat.txt"), HOSTS, "").file(), PAGE_BYTES);
    Path ebpf =
        HeavyInputs.padded(
            HeavyInputs.ebpf(dir.resolve("ebpf.txt"), HOSTS, HOSTS).file(), PAGE_BYTES);
    Path inventory = HeavyInputs.inventory(dir.resolve("inventory.json"), 250_000, "-".repeat(165));
    assertThat(Files.size(inventory)).isBetween(58L << 20, 60L << 20);

    // The one-line page first, so that even the short run sees the line limit refuse it.
    try (LoopbackPage darkstatPages = LoopbackPage.servingInTurn(oneLine, darkstat);
        LoopbackPage ebpfPages = LoopbackPage.servingInTurn(oneLine, ebpf);
        ExporterProcess exporter =
            ExporterProcess.start(
                "-primary-ip",
                HeavyInputs.LOCAL_IP,
                "-task-darkstat-enabled",
                "-task-darkstat-addr",
                darkstatPages.url(),
                "-task-darkstat-interval",
                "2s",
                "-task-darkstat-fetch-timeout",
                "60s",
                "-task-ebpf-enabled",
                "-task-ebpf-addr",
                ebpfPages.url(),
                "-task-ebpf-interval",
                "2s",
                "-task-ebpf-fetch-timeout",
                "60s",
                "-task-inventory-enabled",
                "-task-inventory-addr",
                inventory.toString(),
                "-task-inventory-interval",
                "2s",
                "-task-inventory-fetch-timeout",
                "60s")) {
      long end = System.nanoTime() + duration.toNanos();
      int scrapes = 0;
      long slowestMillis = 0;
      while (System.nanoTime() < end) {
        long start = System.nanoTime();
        assertThat(exporter.get("/metrics").statusCode()).as("GET /metrics").isEqualTo(200);
        slowestMillis = Math.max(slowestMillis, (System.nanoTime() - start) / 1_000_000);
        scrapes++;
        assertThat(ProcessHandle.of(exporter.pid()).map(ProcessHandle::isAlive)).contains(true);
        Thread.sleep(1000);
      }
      long peakMib = exporter.statusKib("VmHWM") / 1024;
      String stderr = exporter.stderr();
      String scrape = exporter.scrape();
      StringBuilder runs = new StringBuilder();
      for (String task : new String[] {"darkstat", "ebpf", "inventory"}) {
        runs.append(
            String.format(
                " %s %s of %s runs failed;",
                task,
                value(scrape, "planet_task_failures_total", task),
                value(scrape, "planet_task_runs_total", task)));
      }
      System.out.printf(
          "FetchBudgetIT: %ds, %d scrapes, slowest %d ms, RSS %d MiB, peak %d MiB,"
              + " %d refusals by the budget, %d by the line limit;%s%n",
          duration.toSeconds(),
          scrapes,
          slowestMillis,
          exporter.statusKib("VmRSS") / 1024,
          peakMib,
          count(stderr, "over the memory budget of fetched documents"),
          count(stderr, "longer than 1048576 bytes, the limit of a line"),
          runs);

      assertThat(peakMib).as("peak RSS, MiB").isLessThan(MAX_RSS_MIB);
      assertThat(stderr)
          .doesNotContain("OutOfMemoryError")
          .contains(
              darkstatPages.url() + ": line 1: longer than 1048576 bytes, the limit of a line")
          .contains(ebpfPages.url() + ": line 1: longer than 1048576 bytes, the limit of a line")
          .contains(": over the memory budget of fetched documents: needs ");
      assertThat(scrape).contains("planet_scrape_collector_success{collector=\"ebpf\"}");
      assertThat(exporter.stop()).as("exit status on SIGTERM").isZero();
    }
  }

  /** The value of {@code name{collector="task"}} in the scrape, as written. */
  private static String value(String scrape, String name, String task) {
    String series = name + "{collector=\"" + task + "\"} ";
    return scrape
        .lines()
        .filter(line -> line.startsWith(series))
        .map(line -> line.substring(series.length()))
        .findFirst()
        .orElse("none");
  }

  private static long count(String text, String fragment) {
    return text.split(Pattern.quote(fragment), -1).length - 1L;
  }
}
