package io.planetexporter.collector;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Whether a task's latest snapshot may join the scrape: it must not throw, hold a null label value,
 * serve a family the task did not declare, or write a line name already written. A snapshot that
 * fails is left out whole and logged once until it recovers; one that passes is cut to the task's
 * series budget. {@link CrewCollector} assembles the scrape around it.
 */
final class SnapshotCheck {

  private static final Logger logger = Logger.getLogger(SnapshotCheck.class.getName());

  private SnapshotCheck() {}

  /**
   * Adds the task's families, cut to its budget, when they are fine; returns how many series were
   * over the budget, or -1 when the families were not fine.
   */
  static long serve(
      TaskRunner runner, Set<String> declared, List<MetricSnapshot> families, Set<String> taken) {
    String problem;
    List<MetricSnapshot> served = new ArrayList<>();
    Set<String> names = new HashSet<>();
    try {
      problem = check(runner.task().snapshot(), declared, taken, served, names);
    } catch (RuntimeException | LinkageError e) {
      if (!runner.snapshotFailing().getAndSet(true)) {
        LogRecords.log(logger, Level.WARNING, "task snapshot failed", e, "task", runner.name());
      }
      return -1;
    }
    if (problem != null) {
      if (!runner.snapshotFailing().getAndSet(true)) {
        logger.log(
            Level.WARNING,
            "task snapshot dropped",
            new Object[] {"task", runner.name(), "err", problem});
      }
      return -1;
    }
    if (runner.snapshotFailing().getAndSet(false)) {
      logger.log(Level.INFO, "task snapshot recovered", new Object[] {"task", runner.name()});
    }
    SeriesBudget.Cut cut = SeriesBudget.apply(served, runner.maxSeries());
    families.addAll(cut.families());
    taken.addAll(names);
    return cut.dropped();
  }

  /** Returns what is wrong with the snapshots, or null after filling served and names. */
  private static String check(
      MetricSnapshots snapshots,
      Set<String> declared,
      Set<String> taken,
      List<MetricSnapshot> served,
      Set<String> names) {
    if (snapshots == null) {
      return "snapshot() returned null";
    }
    for (MetricSnapshot family : snapshots) {
      String name = family.getMetadata().getPrometheusName();
      if (!declared.isEmpty() && !declared.contains(name)) {
        return "metric name " + name + " is not among the names the task declared " + declared;
      }
      for (String exposed : exposedNames(family)) {
        if (taken.contains(exposed) || !names.add(exposed)) {
          return "metric name " + exposed + " is already served";
        }
      }
      for (DataPointSnapshot point : family.getDataPoints()) {
        // By index: the iterator makes a Label per label, every scrape, for every series.
        Labels labels = point.getLabels();
        for (int i = 0; i < labels.size(); i++) {
          if (labels.getValue(i) == null) {
            return "null value of label " + labels.getName(i) + " in " + name;
          }
        }
      }
      served.add(family);
    }
    return null;
  }

  /** The names of the lines a family writes, so that no two families write the same one. */
  static Set<String> exposedNames(MetricSnapshot family) {
    String name = family.getMetadata().getPrometheusName();
    if (family instanceof CounterSnapshot) {
      return Set.of(name, name + "_total", name + "_created");
    }
    if (family instanceof InfoSnapshot) {
      return Set.of(name, name + "_info");
    }
    if (family instanceof HistogramSnapshot || family instanceof SummarySnapshot) {
      return Set.of(name, name + "_bucket", name + "_count", name + "_sum", name + "_created");
    }
    return Set.of(name);
  }
}
