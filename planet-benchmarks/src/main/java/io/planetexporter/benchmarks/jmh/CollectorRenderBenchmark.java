package io.planetexporter.benchmarks.jmh;

import io.planetexporter.api.HostIdentity;
import io.planetexporter.api.TaskProvider;
import io.planetexporter.benchmarks.SyntheticProc;
import io.planetexporter.benchmarks.TaskFactory;
import io.planetexporter.collector.Crew;
import io.planetexporter.collector.TaskSpec;
import io.planetexporter.net.IpAddress;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * What the exporter does on a scrape, minus HTTP: the collector's {@code collect()} over a running
 * socketstat task whose synthetic socket table has {@code series} distinct peers, rendered with
 * client_java's text writer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CollectorRenderBenchmark {
  @Param("10000")
  public int series;

  private Path procRoot;
  private Crew crew;
  private MultiCollector collector;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    procRoot = SyntheticProc.writeTree(Files.createTempDirectory("planet-jmh-proc-"), series);
    TaskProvider socketstat = TaskFactory.find("socketstat");
    IpAddress loopback = IpAddress.parse("127.0.0.1");
    crew =
        Crew.create(
            List.of(
                new TaskSpec(
                    socketstat,
                    TaskFactory.config(socketstat, Map.of("proc-root", procRoot.toString())))),
            new HostIdentity("bench", loopback, Set.of(loopback)),
            Clock.systemUTC());
    collector = crew.collector(MetricSnapshots.of());
    crew.start();
    while (!crew.ready()) {
      Thread.sleep(10);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    crew.close();
    TaskFactory.deleteTree(procRoot);
  }

  @Benchmark
  public MetricSnapshots collect() {
    return collector.collect();
  }

  @Benchmark
  public int collectAndRender() throws IOException {
    return TextRendering.renderedSize(collector.collect());
  }
}
