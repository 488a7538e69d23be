package io.planetexporter.benchmarks.jmh;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Building and rendering {@code planet_upstream}-shaped series with client_java's text writer: the
 * part of a scrape that grows with the number of series, whoever produced them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RenderBenchmark {
  @Param("10000")
  public int series;

  private MetricSnapshots snapshots;

  @Setup
  public void setUp() {
    snapshots = build();
  }

  /** 10,000 upstream series to distinct peers, labelled as socketstat labels them. */
  @Benchmark
  public MetricSnapshots buildSnapshot() {
    return build();
  }

  @Benchmark
  public int render() throws IOException {
    return TextRendering.renderedSize(snapshots);
  }

  @Benchmark
  public int buildAndRender() throws IOException {
    return TextRendering.renderedSize(build());
  }

  private MetricSnapshots build() {
    GaugeSnapshot.Builder upstream =
        GaugeSnapshot.builder().name("planet_upstream").help("Upstream dependencies.");
    for (int i = 0; i < series; i++) {
      String peer = "198.18." + (i / 250) + "." + (i % 250 + 1);
      upstream.dataPoint(
          GaugeDataPointSnapshot.builder()
              .labels(
                  Labels.of(
                      "local_hostgroup", "bench",
                      "remote_hostgroup", "",
                      "local_address", "198.18.255.1",
                      "remote_address", peer,
                      "port", Integer.toString(1024 + i % 20_000),
                      "protocol", "tcp",
                      "process_name", "java"))
              .value(1)
              .build());
    }
    return MetricSnapshots.of(upstream.build());
  }
}
