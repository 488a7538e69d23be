package io.planetexporter.api;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * One crew member: does expensive work on its own schedule and serves the result cheaply.
 *
 * <p>The collector calls {@link #run()} on the task's own thread every interval (the first time at
 * startup) and {@link #snapshot()} on every scrape, from other threads. {@code run()} publishes
 * immutable data (an {@code AtomicReference} to a record is enough); {@code snapshot()} turns the
 * latest of it into metrics without I/O.
 *
 * <pre>{@code
 * final class UptimeTask implements Task {
 *   private final AtomicReference<Double> uptime = new AtomicReference<>();
 *
 *   public void run() throws IOException {
 *     uptime.set(Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]));
 *   }
 *
 *   public MetricSnapshots snapshot() {
 *     Double value = uptime.get();
 *     if (value == null) {
 *       return MetricSnapshots.of();
 *     }
 *     return MetricSnapshots.of(GaugeSnapshot.builder().name("planet_uptime_seconds")
 *         .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build());
 *   }
 * }
 * }</pre>
 */
public interface Task extends AutoCloseable {

  /**
   * Does the task's expensive work once and publishes its result. Throwing marks the run failed:
   * the collector logs the cause and reports {@code planet_scrape_collector_success} 0 until a run
   * succeeds; what {@link #snapshot()} serves meanwhile is the task's documented choice.
   */
  void run() throws Exception;

  /**
   * The metrics to serve now, built from the latest published data. Cheap, no I/O, never null;
   * called concurrently with {@link #run()}. Every label value must be non-null.
   */
  MetricSnapshots snapshot();

  /**
   * A short text for the landing page on how the task works now, e.g. {@code "source netlink"};
   * empty when there is nothing to say. Cheap, no I/O, never null.
   */
  default String statusNote() {
    return "";
  }

  /** Releases what the task holds. Called once, after its last run. */
  @Override
  default void close() {}
}
