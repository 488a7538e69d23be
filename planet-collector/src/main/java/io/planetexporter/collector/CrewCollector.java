package io.planetexporter.collector;

import io.planetexporter.api.Host;
import io.planetexporter.api.HostIdentity;
import io.planetexporter.api.Inventory;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every task's latest snapshot plus the tasks' health and the host metadata, as one collector.
 *
 * <p>A task whose snapshot throws, holds a null label value, serves a family it did not declare
 * ({@link io.planetexporter.api.Task#metricNames()}), or repeats a family name already served (by
 * the program, this collector or a task earlier in name order; only possible for a task that
 * declares no names, since declared clashes stop startup) is left out of the scrape and reported
 * with {@code planet_scrape_collector_success} 0; the scrape itself never fails.
 */
final class CrewCollector implements MultiCollector {

  private static final Logger logger = Logger.getLogger(CrewCollector.class.getName());

  static final String DURATION = "planet_scrape_collector_duration_seconds";
  static final String SUCCESS = "planet_scrape_collector_success";
  static final String LAST_SUCCESS = "planet_task_last_success_timestamp_seconds";
  static final String RUNS = "planet_task_runs";
  static final String FAILURES = "planet_task_failures";
  static final String SERIES_DROPPED = "planet_task_series_dropped";
  static final String HOSTNAME = "planet_hostname";
  static final Set<String> OWN_NAMES =
      Set.of(DURATION, SUCCESS, LAST_SUCCESS, RUNS, FAILURES, SERIES_DROPPED, HOSTNAME);
  private static final Host UNKNOWN = new Host("", "");

  private final List<TaskRunner> runners;
  private final Map<String, Set<String>> declared;
  private final Map<String, MetricType> types;
  private final MetricSnapshots fixed;
  private final Supplier<Inventory> inventory;
  private final Supplier<HostIdentity> host;
  private final Clock clock;

  CrewCollector(
      List<TaskRunner> runners,
      Map<String, Set<String>> declared,
      MetricSnapshots fixed,
      Supplier<Inventory> inventory,
      Supplier<HostIdentity> host,
      Clock clock) {
    this.runners = List.copyOf(runners);
    this.declared = Map.copyOf(declared);
    this.types = types(fixed, declared);
    this.fixed = fixed;
    this.inventory = inventory;
    this.host = host;
    this.clock = clock;
  }

  /**
   * The names this collector serves for sure, for client_java's registry to check against other
   * collectors: the program's, the health families and every name a task declared. A task that
   * declares none adds nothing here; its families are checked at each scrape.
   *
   * <p>Deprecated in client_java 1.10 in favour of typed descriptors, which the SPI cannot give (a
   * task declares names, not types); the registry still checks these names for clashes.
   */
  @Override
  @SuppressWarnings("deprecation")
  public List<String> getPrometheusNames() {
    return List.copyOf(types.keySet());
  }

  /**
   * The type of each name {@link #getPrometheusNames()} lists, without which client_java skips the
   * name: {@code UNKNOWN} for a task's, since a task declares names only.
   */
  @Override
  @SuppressWarnings("deprecation")
  public MetricType getMetricType(String prometheusName) {
    return types.get(prometheusName);
  }

  private static Map<String, MetricType> types(
      MetricSnapshots fixed, Map<String, Set<String>> declared) {
    Map<String, MetricType> types = new TreeMap<>();
    declared.values().forEach(names -> names.forEach(n -> types.put(n, MetricType.UNKNOWN)));
    for (MetricSnapshot family : fixed) {
      types.put(family.getMetadata().getPrometheusName(), type(family));
    }
    List.of(DURATION, SUCCESS, LAST_SUCCESS, HOSTNAME).forEach(n -> types.put(n, MetricType.GAUGE));
    List.of(RUNS, FAILURES).forEach(n -> types.put(n, MetricType.COUNTER));
    return types;
  }

  private static MetricType type(MetricSnapshot family) {
    if (family instanceof CounterSnapshot) {
      return MetricType.COUNTER;
    }
    if (family instanceof GaugeSnapshot) {
      return MetricType.GAUGE;
    }
    if (family instanceof InfoSnapshot) {
      return MetricType.INFO;
    }
    if (family instanceof HistogramSnapshot) {
      return MetricType.HISTOGRAM;
    }
    if (family instanceof SummarySnapshot) {
      return MetricType.SUMMARY;
    }
    return MetricType.UNKNOWN;
  }

  @Override
  public MetricSnapshots collect() {
    Instant now = clock.instant();
    List<TaskStatus> statuses = runners.stream().map(TaskRunner::status).toList();
    List<MetricSnapshot> own = new ArrayList<>(ownFamilies(statuses));
    own.add(hostname());
    List<MetricSnapshot> families = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    for (MetricSnapshot family : fixed) {
      families.add(family);
      taken.addAll(SnapshotCheck.exposedNames(family));
    }
    for (MetricSnapshot family : own) {
      families.add(family);
      taken.addAll(SnapshotCheck.exposedNames(family));
    }
    taken.add(SUCCESS);
    taken.add(SERIES_DROPPED);
    GaugeSnapshot.Builder success =
        GaugeSnapshot.builder()
            .name(SUCCESS)
            .help(
                "Whether the task's last run succeeded, its snapshot was served and no run is"
                    + " overdue (1) or not (0).");
    GaugeSnapshot.Builder dropped =
        GaugeSnapshot.builder()
            .name(SERIES_DROPPED)
            .help(
                "Series of the task left out of this scrape because they were over its budget"
                    + " (-task-<name>-max-series).");
    for (int i = 0; i < runners.size(); i++) {
      TaskRunner runner = runners.get(i);
      long over =
          SnapshotCheck.serve(
              runner, declared.getOrDefault(runner.name(), Set.of()), families, taken);
      boolean healthy = over >= 0 && statuses.get(i).healthy(now);
      success.dataPoint(point(runner.name(), healthy ? 1 : 0));
      dropped.dataPoint(point(runner.name(), Math.max(over, 0)));
    }
    families.add(success.build());
    families.add(dropped.build());
    try {
      return new MetricSnapshots(families);
    } catch (RuntimeException e) {
      // Only reachable through a family conflict this class does not foresee; serve what is ours.
      LogRecords.log(logger, Level.WARNING, "dropping task metrics from the scrape", e);
      own.add(success.build());
      own.add(dropped.build());
      return new MetricSnapshots(own);
    }
  }

  private static List<MetricSnapshot> ownFamilies(List<TaskStatus> statuses) {
    GaugeSnapshot.Builder duration =
        GaugeSnapshot.builder()
            .name(DURATION)
            .help("Duration of the task's last completed run, 0 before the first.")
            .unit(Unit.SECONDS);
    GaugeSnapshot.Builder lastSuccess =
        GaugeSnapshot.builder()
            .name(LAST_SUCCESS)
            .help("Unix time at which the task's last successful run ended, 0 before the first.");
    CounterSnapshot.Builder runs =
        CounterSnapshot.builder().name(RUNS).help("Runs of the task completed, failed included.");
    CounterSnapshot.Builder failures =
        CounterSnapshot.builder().name(FAILURES).help("Runs of the task that failed.");
    for (TaskStatus status : statuses) {
      Labels labels = Labels.of("collector", status.name());
      duration.dataPoint(point(status.name(), status.lastRunDuration().toNanos() / 1e9));
      lastSuccess.dataPoint(
          point(status.name(), status.lastSuccess().map(t -> t.toEpochMilli() / 1e3).orElse(0.0)));
      runs.dataPoint(
          CounterDataPointSnapshot.builder().labels(labels).value(status.runs()).build());
      failures.dataPoint(
          CounterDataPointSnapshot.builder().labels(labels).value(status.failures()).build());
    }
    return List.of(duration.build(), lastSuccess.build(), runs.build(), failures.build());
  }

  private MetricSnapshot hostname() {
    HostIdentity host = this.host.get();
    Host known;
    try {
      known = inventory.get().lookup(host.primaryAddress()).orElse(UNKNOWN);
    } catch (RuntimeException e) {
      LogRecords.log(logger, Level.FINE, "inventory lookup failed", e);
      known = UNKNOWN;
    }
    return GaugeSnapshot.builder()
        .name(HOSTNAME)
        .help("This host: its name, primary IP and the inventory's domain and hostgroup for it.")
        .dataPoint(
            GaugeDataPointSnapshot.builder()
                .labels(
                    Labels.of(
                        "local_hostgroup",
                        known.hostgroup(),
                        "hostname",
                        host.hostname(),
                        "domain",
                        known.domain(),
                        "ip",
                        host.primaryAddress().toString()))
                .value(1)
                .build())
        .build();
  }

  private static GaugeDataPointSnapshot point(String collector, double value) {
    return GaugeDataPointSnapshot.builder()
        .labels(Labels.of("collector", collector))
        .value(value)
        .build();
  }
}
