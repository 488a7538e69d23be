package com.example.uptime;

import io.planetexporter.api.Task;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/** Reads the uptime on its schedule; a scrape only serves the last value read. */
final class UptimeTask implements Task {

  private final Path uptimeFile;
  private final AtomicReference<Double> uptimeSeconds = new AtomicReference<>();

  UptimeTask(Path uptimeFile) {
    this.uptimeFile = uptimeFile;
  }

  @Override
  public void run() throws IOException {
    // The file holds "<seconds up> <seconds idle>".
    String text = Files.readString(uptimeFile).strip();
    int space = text.indexOf(' ');
    uptimeSeconds.set(Double.parseDouble(space < 0 ? text : text.substring(0, space)));
  }

  @Override
  public MetricSnapshots snapshot() {
    Double seconds = uptimeSeconds.get();
    if (seconds == null) {
      return MetricSnapshots.of(); // no successful run yet
    }
    return MetricSnapshots.of(
        GaugeSnapshot.builder()
            .name("planet_uptime_seconds")
            .help("How long this host has been up.")
            .dataPoint(GaugeDataPointSnapshot.builder().value(seconds).build())
            .build());
  }

  /** Known at startup, so that a clash with another task's metric stops the exporter. */
  @Override
  public Set<String> metricNames() {
    return Set.of("planet_uptime_seconds");
  }
}
