package io.planetexporter.api.testing;

import io.planetexporter.api.Task;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Runs a task as the exporter does and shows what a scrape would serve of it, as the text format
 * 0.0.4 that Prometheus reads, so that a test compares it with an expected text block.
 *
 * <pre>{@code
 * assertThat(TaskRun.runAndRender(task)).isEqualTo("""
 *     # HELP planet_uptime_seconds Seconds since boot.
 *     # TYPE planet_uptime_seconds gauge
 *     planet_uptime_seconds 12345.67
 *     """);
 * }</pre>
 */
public final class TaskRun {

  private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

  private TaskRun() {}

  /**
   * Runs the task once, then renders its snapshot with {@link #render(Task)}.
   *
   * @throws Exception what the run throws
   */
  public static String runAndRender(Task task) throws Exception {
    task.run();
    return render(task);
  }

  /**
   * The task's snapshot as exposition text, after the checks the exporter makes at each scrape.
   *
   * @throws AssertionError when the snapshot is null or serves a family outside the names the task
   *     declares in {@link Task#metricNames()}, which the exporter would leave out
   */
  public static String render(Task task) {
    MetricSnapshots snapshots = task.snapshot();
    if (snapshots == null) {
      throw new AssertionError("snapshot() returned null");
    }
    Set<String> declared = task.metricNames();
    for (MetricSnapshot family : snapshots) {
      String name = family.getMetadata().getPrometheusName();
      if (!declared.isEmpty() && !declared.contains(name)) {
        throw new AssertionError(
            "the task serves " + name + " but declares only " + declared + " in metricNames()");
      }
    }
    return render(snapshots);
  }

  /** The snapshots as exposition text. */
  public static String render(MetricSnapshots snapshots) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      WRITER.write(out, snapshots, EscapingScheme.DEFAULT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
