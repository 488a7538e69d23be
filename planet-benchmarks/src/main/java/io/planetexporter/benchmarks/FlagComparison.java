package io.planetexporter.benchmarks;

import io.planetexporter.testfixtures.ExporterProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Two exporters on the same sockets at the same time, one as shipped and one with other JVM flags
 * or other exporter flags (or both), so that the noise of a shared machine hits both alike: CPU per
 * collection interval and RSS, window by window; and CPU per socketstat run over all the windows
 * (CPU over runs completed), which stays a per-collection figure when a loaded machine stretches a
 * collection past the interval (then every window is busy, and the CPU per window only says how
 * much of the machine each exporter got).
 */
final class FlagComparison {
  private FlagComparison() {}

  /**
   * @param otherOpts the other exporter's JVM flags, empty for the shipped ones
   * @param otherArgs the other exporter's extra exporter flags, separated by spaces, or empty
   */
  static String measure(
      int n, Path home, String otherOpts, String otherArgs, int intervalSeconds, int windows)
      throws Exception {
    List<String> args = List.of("-task-interval", intervalSeconds + "s");
    List<String> moreArgs = new ArrayList<>(args);
    if (!otherArgs.isBlank()) {
      moreArgs.addAll(List.of(otherArgs.trim().split("\\s+")));
    }
    try (ExporterProcess shipped = BenchExporter.start(home, null, args);
        ExporterProcess other =
            BenchExporter.start(home, otherOpts.isEmpty() ? null : otherOpts, moreArgs)) {
      ExporterFigures.awaitReady(shipped);
      ExporterFigures.awaitReady(other);
      // One collection each after the first, so both caches are warm.
      Thread.sleep(intervalSeconds * 1000L);
      List<Double> shippedCpu = new ArrayList<>();
      List<Double> otherCpu = new ArrayList<>();
      ProcessUsage shippedBefore = BenchExporter.usage(shipped);
      ProcessUsage otherBefore = BenchExporter.usage(other);
      PerRun shippedRuns = PerRun.start(shipped, shippedBefore);
      PerRun otherRuns = PerRun.start(other, otherBefore);
      for (int w = 0; w < windows; w++) {
        Thread.sleep(intervalSeconds * 1000L);
        ProcessUsage shippedAfter = BenchExporter.usage(shipped);
        ProcessUsage otherAfter = BenchExporter.usage(other);
        shippedCpu.add(shippedAfter.cpuMillis() - shippedBefore.cpuMillis());
        otherCpu.add(otherAfter.cpuMillis() - otherBefore.cpuMillis());
        shippedBefore = shippedAfter;
        otherBefore = otherAfter;
      }
      return String.format(
          Locale.ROOT,
          "| %,d | shipped | %.0f ms | %s | %.0f MiB (%.0f MiB) |%n| %,d | %s | %.0f ms | %s |"
              + " %.0f MiB (%.0f MiB) |%n",
          n,
          median(shippedCpu),
          shippedRuns.end(shipped, shippedBefore),
          shippedBefore.rssKib() / 1024.0,
          shippedBefore.peakRssKib() / 1024.0,
          n,
          (otherOpts + " " + otherArgs).trim(),
          median(otherCpu),
          otherRuns.end(other, otherBefore),
          otherBefore.rssKib() / 1024.0,
          otherBefore.peakRssKib() / 1024.0);
    }
  }

  /** An exporter's CPU and socketstat runs when the windows started. */
  private record PerRun(double cpuMillis, double runs) {

    static PerRun start(ExporterProcess exporter, ProcessUsage usage) throws Exception {
      return new PerRun(usage.cpuMillis(), runs(exporter));
    }

    /** {@code <ms> (<runs> runs)}: CPU per run since the start. */
    String end(ExporterProcess exporter, ProcessUsage usage) throws Exception {
      double runs = runs(exporter) - this.runs;
      return String.format(
          Locale.ROOT, "%.0f ms (%.0f runs)", (usage.cpuMillis() - cpuMillis) / runs, runs);
    }

    private static double runs(ExporterProcess exporter) throws Exception {
      return ExporterFigures.socketstatValue(
          BenchExporter.get(exporter, "/metrics").body(), "planet_task_runs_total");
    }
  }

  private static double median(List<Double> values) {
    return Timing.median(values.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
