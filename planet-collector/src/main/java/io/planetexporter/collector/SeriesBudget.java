package io.planetexporter.collector;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds a task's families to its series budget: the first {@code max} data points, in the order the
 * task gives its families and their points, are served, the rest are left out. A task that orders
 * its output deterministically is cut deterministically. A histogram or summary data point counts
 * as one series.
 */
final class SeriesBudget {

  /**
   * The families to serve and how many data points were left out.
   *
   * @param families the task's families, the last kept one possibly cut short, empty ones left out
   * @param dropped data points not served
   */
  record Cut(List<MetricSnapshot> families, long dropped) {}

  private SeriesBudget() {}

  static Cut apply(List<MetricSnapshot> families, int max) {
    long total = 0;
    for (MetricSnapshot family : families) {
      total += family.getDataPoints().size();
    }
    if (total <= max) {
      return new Cut(families, 0);
    }
    List<MetricSnapshot> kept = new ArrayList<>();
    int room = max;
    for (MetricSnapshot family : families) {
      int size = family.getDataPoints().size();
      if (size <= room) {
        kept.add(family);
        room -= size;
      } else if (room > 0) {
        MetricSnapshot head = head(family, room);
        if (head != null) {
          kept.add(head);
          room -= head.getDataPoints().size();
        }
      }
    }
    long served = kept.stream().mapToLong(f -> f.getDataPoints().size()).sum();
    return new Cut(List.copyOf(kept), total - served);
  }

  /** The family with only its first {@code n} data points; null for a kind this does not know. */
  private static MetricSnapshot head(MetricSnapshot family, int n) {
    if (family instanceof GaugeSnapshot g) {
      return new GaugeSnapshot(g.getMetadata(), g.getDataPoints().subList(0, n));
    }
    if (family instanceof CounterSnapshot c) {
      return new CounterSnapshot(c.getMetadata(), c.getDataPoints().subList(0, n));
    }
    if (family instanceof InfoSnapshot i) {
      return new InfoSnapshot(i.getMetadata(), i.getDataPoints().subList(0, n));
    }
    if (family instanceof StateSetSnapshot s) {
      return new StateSetSnapshot(s.getMetadata(), s.getDataPoints().subList(0, n));
    }
    if (family instanceof HistogramSnapshot h) {
      return new HistogramSnapshot(
          h.isGaugeHistogram(), h.getMetadata(), h.getDataPoints().subList(0, n));
    }
    if (family instanceof SummarySnapshot s) {
      return new SummarySnapshot(s.getMetadata(), s.getDataPoints().subList(0, n));
    }
    if (family instanceof UnknownSnapshot u) {
      return new UnknownSnapshot(u.getMetadata(), u.getDataPoints().subList(0, n));
    }
    return null;
  }
}
