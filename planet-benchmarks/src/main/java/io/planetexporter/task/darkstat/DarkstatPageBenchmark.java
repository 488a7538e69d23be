package io.planetexporter.task.darkstat;

import io.planetexporter.api.HostIdentity;
import io.planetexporter.api.Inventory;
import io.planetexporter.benchmarks.SoakBench;
import io.planetexporter.task.support.PeerTraffic;
import io.planetexporter.task.support.TextFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Set;
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
 * Reading the soak's darkstat page (two lines per host, three labels each) into a run's peer table:
 * the darkstat task's work per run before folding. Run with {@code -prof gc} for the bytes it
 * allocates per page, which decide how many young collections a run spans.
 *
 * <p>In this package to reach the package-private page reader.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DarkstatPageBenchmark {

  @Param("15000")
  public int hosts;

  private byte[] page;
  private HostIdentity host;

  @Setup
  public void setUp() {
    page = SoakBench.darkstatPage(hosts, 0);
    InetAddress self = InetAddress.getLoopbackAddress();
    host = new HostIdentity("bench", self, Set.of(self));
  }

  @Benchmark
  public PeerTraffic.Builder read() throws IOException, TextFormatException {
    PeerTraffic.Builder traffic = PeerTraffic.builder(host, Inventory.empty());
    DarkstatPage.read(new ByteArrayInputStream(page), traffic);
    return traffic;
  }
}
