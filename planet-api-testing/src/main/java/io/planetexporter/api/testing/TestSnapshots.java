package io.planetexporter.api.testing;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Views of a task's snapshots for assertions: its text, a gauge's value, counters by label.
 *
 * <pre>{@code
 * task.run();
 * assertThat(TestSnapshots.gauge(task.snapshot(), "example_peers")).isEqualTo(3.0);
 * assertThat(TestSnapshots.counterValues(task.snapshot(), "remote_ip", "direction"))
 *     .containsEntry("198.18.0.2 ingress", 1001516.0);
 * }</pre>
 */
public final class TestSnapshots {

  private TestSnapshots() {}

  /** The snapshots as text format 0.0.4, as a scrape would show them. */
  public static String text(MetricSnapshots snapshots) {
    return PrometheusTextFormatWriter.create().toDebugString(snapshots);
  }

  /** The value of the unlabelled gauge {@code name}; fails when there is none. */
  public static double gauge(MetricSnapshots snapshots, String name) {
    for (MetricSnapshot snapshot : snapshots) {
      if (snapshot instanceof GaugeSnapshot gauge
          && snapshot.getMetadata().getPrometheusName().equals(name)) {
        return gauge.getDataPoints().get(0).getValue();
      }
    }
    throw new AssertionError("no gauge " + name);
  }

  /**
   * Every counter data point's value (other families are left out), keyed by the values of the
   * given labels joined by a space, e.g. {@code "198.18.0.2 ingress" -> 1001516.0}; fails on a key
   * seen twice.
   */
  public static Map<String, Double> counterValues(MetricSnapshots snapshots, String... labels) {
    Map<String, Double> values = new TreeMap<>();
    for (MetricSnapshot snapshot : snapshots) {
      if (!(snapshot instanceof CounterSnapshot counter)) {
        continue;
      }
      for (CounterSnapshot.CounterDataPointSnapshot point : counter.getDataPoints()) {
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
