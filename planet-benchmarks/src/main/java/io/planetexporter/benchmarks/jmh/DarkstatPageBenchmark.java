package io.planetexporter.benchmarks.jmh;

import com.sun.net.httpserver.HttpServer;
import io.planetexporter.api.HostIdentity;
import io.planetexporter.api.Inventory;
import io.planetexporter.api.Task;
import io.planetexporter.benchmarks.SoakBench;
import io.planetexporter.benchmarks.TaskFactory;
import io.planetexporter.net.IpAddress;
import io.planetexporter.task.darkstat.DarkstatPage;
import io.planetexporter.textformat.TextFormatException;
import io.planetexporter.traffic.PeerTraffic;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The darkstat task on the soak's page (two lines per host, three labels each): {@code read} reads
 * the page into a run's peer table; {@code run} is a whole run of the task as the exporter makes
 * it, fetching the page from a loopback HTTP server, folding to the budget and building its
 * counter. Run with {@code -prof gc} for the bytes allocated per page or run, which decide how many
 * young collections a run spans, and with the exporter's JIT ({@code -jvmArgs
 * "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"}): C2 removes allocations that C1 makes.
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
  private HttpServer server;
  private Task task;

  @Setup
  public void setUp() throws Exception {
    page = SoakBench.darkstatPage(hosts, 0);
    InetAddress self = InetAddress.getLoopbackAddress();
    host = new HostIdentity("bench", IpAddress.of(self), Set.of(IpAddress.of(self)));
    server = HttpServer.create(new InetSocketAddress(self, 0), 0);
    server.createContext(
        "/metrics",
        exchange -> {
          exchange.sendResponseHeaders(200, page.length);
          try (OutputStream body = exchange.getResponseBody()) {
            body.write(page);
          }
        });
    server.start();
    task =
        TaskFactory.create(
            "darkstat",
            Map.of("addr", "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics"));
  }

  @TearDown
  public void tearDown() {
    server.stop(0);
  }

  @Benchmark
  public PeerTraffic.Builder read() throws IOException, TextFormatException {
    PeerTraffic.Builder traffic = PeerTraffic.builder(host, Inventory.empty());
    DarkstatPage.read(new ByteArrayInputStream(page), traffic);
    return traffic;
  }

  @Benchmark
  public MetricSnapshots run() throws Exception {
    task.run();
    return task.snapshot();
  }
}
