package io.planetexporter.benchmarks;

import java.util.Arrays;
import java.util.List;

/**
 * One timed run: wall-clock and CPU (user + system) milliseconds.
 *
 * @param wallMillis elapsed time
 * @param cpuMillis CPU time spent by the process(es) measured
 */
record Timing(double wallMillis, double cpuMillis) {
  Timing {
    if (wallMillis < 0 || cpuMillis < 0) {
      throw new IllegalArgumentException("negative time: " + wallMillis + ", " + cpuMillis);
    }
  }

  /** The median wall time and the median CPU time, each taken separately. */
  static Timing median(List<Timing> samples) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no samples");
    }
    return new Timing(
        median(samples.stream().mapToDouble(Timing::wallMillis).toArray()),
        median(samples.stream().mapToDouble(Timing::cpuMillis).toArray()));
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
