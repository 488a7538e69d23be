package io.planetexporter.benchmarks.jmh;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Renders snapshots as a scrape does, for the benchmarks that time /metrics text. */
final class TextRendering {

  private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

  private TextRendering() {}

  /** The size in bytes of the snapshots as text format 0.0.4 (returned so JMH keeps the work). */
  static int renderedSize(MetricSnapshots snapshots) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 21);
    WRITER.write(out, snapshots);
    return out.size();
  }
}
