package io.planetexporter.api;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Set;

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
   *
   * @since 0.2
   */
  default String statusNote() {
    return "";
  }

  /**
   * The names of every metric family {@link #snapshot()} may serve, as {@code
   * MetricSnapshot.getMetadata().getPrometheusName()} gives them (a counter without {@code
   * _total}). Called once, right after the task is created.
   *
   * <p>Declared names let the exporter stop at startup (exit 2, both tasks named) when two tasks
   * would serve the same metric, and register with client_java's registry by name; a family outside
   * the declared names is left out of the scrape. The default, an empty set, declares nothing: such
   * a task's families are checked at each scrape instead.
   *
   * @since 0.2
   */
  default Set<String> metricNames() {
    return Set.of();
  }

  /** Releases what the task holds. Called once, after its last run. */
  @Override
  default void close() {}
}
