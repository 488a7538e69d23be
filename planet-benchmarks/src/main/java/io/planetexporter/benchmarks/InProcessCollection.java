package io.planetexporter.benchmarks;

import io.planetexporter.api.Task;
import io.planetexporter.api.testing.TaskRun;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One socketstat task in this JVM, created through the SPI like the exporter does: its first
 * collection (nothing cached yet), its steady-state collections and one snapshot.
 */
final class InProcessCollection {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private InProcessCollection() {}

  /**
   * @param first the first {@code run()} of a new task
   * @param steady the median of the following {@code run()}s
   * @param snapshot one {@code snapshot()}
   * @param unattributedChurn upstream series to the churn port without a process name
   * @param attributedChurn upstream series to the churn port with one (so the check saw them)
   */
  record Result(
      Timing first, Timing steady, Timing snapshot, int unattributedChurn, int attributedChurn) {}

  /** Creates a task, runs it {@code 1 + steadyRuns} times, then takes a snapshot. */
  static Result measure(int steadyRuns, int churnPort) throws Exception {
    try (Task task = TaskFactory.create("socketstat", Map.of())) {
      Timing first = time(task::run);
      List<Timing> steady = new ArrayList<>();
      for (int i = 0; i < steadyRuns; i++) {
        steady.add(time(task::run));
      }
      MetricSnapshots[] snapshots = new MetricSnapshots[1];
      Timing snapshot = time(() -> snapshots[0] = task.snapshot());
      String text = churnPort > 0 ? TaskRun.render(snapshots[0]) : "";
      return new Result(
          first,
          Timing.median(steady),
          snapshot,
          Attribution.unattributedUpstream(text, churnPort),
          Attribution.attributedUpstream(text, churnPort));
    }
  }

  /** Runs a task on a synthetic table of 10,000 sockets until the JIT has compiled its paths. */
  static void warmUp() throws Exception {
    Path procRoot =
        SyntheticProc.writeTree(Files.createTempDirectory("planet-bench-warm-"), 10_000);
    try (Task task = TaskFactory.create("socketstat", Map.of("proc-root", procRoot.toString()))) {
      for (int i = 0; i < 30; i++) {
        task.run();
        TaskRun.render(task.snapshot());
      }
    } finally {
      TaskFactory.deleteTree(procRoot);
    }
  }

  private static Timing time(Work work) throws Exception {
    long cpu = OS.getProcessCpuTime();
    long wall = System.nanoTime();
    work.run();
    return new Timing(
        (System.nanoTime() - wall) / 1e6, Math.max(0, OS.getProcessCpuTime() - cpu) / 1e6);
  }

  @FunctionalInterface
  private interface Work {
    void run() throws Exception;
  }
}
