package io.planetexporter.api;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;

/** Short forms of client_java's gauge builders for the self-metrics every task serves. */
public final class Gauges {

  private Gauges() {}

  /** A gauge family with one unlabelled value. */
  public static GaugeSnapshot single(String name, String help, double value) {
    return GaugeSnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(GaugeDataPointSnapshot.builder().value(value).build())
        .build();
  }

  /** One value labelled with the given labels. */
  public static GaugeDataPointSnapshot point(Labels labels, double value) {
    return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
  }

  /** One value with a single label. */
  public static GaugeDataPointSnapshot point(String labelName, String labelValue, double value) {
    return point(Labels.of(labelName, labelValue), value);
  }
}
