package io.planetexporter.benchmarks.jmh;

import io.planetexporter.api.Task;
import io.planetexporter.benchmarks.SyntheticProc;
import io.planetexporter.benchmarks.TaskFactory;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The socketstat task, created through the SPI on a synthetic proc root whose sockets go to {@code
 * series} distinct peers, so that its snapshot holds that many {@code planet_upstream} series: the
 * snapshot alone, the snapshot rendered as /metrics text, and a steady-state run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SocketstatSnapshotBenchmark {
  @Param("10000")
  public int series;

  private Path procRoot;
  private Task task;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    procRoot = SyntheticProc.writeTree(Files.createTempDirectory("planet-jmh-proc-"), series);
    task = TaskFactory.create("socketstat", Map.of("proc-root", procRoot.toString()));
    task.run();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    task.close();
    TaskFactory.deleteTree(procRoot);
  }

  @Benchmark
  public MetricSnapshots snapshot() {
    return task.snapshot();
  }

  @Benchmark
  public int snapshotAndRender() throws IOException {
    return TextRendering.renderedSize(task.snapshot());
  }

  @Benchmark
  public MetricSnapshots steadyRunAndSnapshot() throws Exception {
    task.run();
    return task.snapshot();
  }
}
