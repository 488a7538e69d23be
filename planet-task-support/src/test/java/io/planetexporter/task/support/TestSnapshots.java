package io.planetexporter.task.support;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Views of served snapshots for assertions. */
public final class TestSnapshots {

  private TestSnapshots() {}

  /**
   * Every counter data point's value, keyed by the values of the given labels joined by a space,
   * e.g. {@code "198.18.0.2 ingress" -> 1001516.0}; fails on a key seen twice.
   */
  public static Map<String, Double> counterValues(MetricSnapshots snapshots, String... labels) {
    Map<String, Double> values = new TreeMap<>();
    for (MetricSnapshot snapshot : snapshots) {
      for (CounterSnapshot.CounterDataPointSnapshot point :
          ((CounterSnapshot) snapshot).getDataPoints()) {
        String key =
            Stream.of(labels).map(l -> point.getLabels().get(l)).collect(Collectors.joining(" "));
        if (values.put(key, point.getValue()) != null) {
          throw new AssertionError("two data points for " + key);
        }
      }
    }
    return values;
  }
}
