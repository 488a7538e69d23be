package io.planetexporter.benchmarks.jmh;

import io.planetexporter.api.Host;
import io.planetexporter.api.Inventory;
import io.planetexporter.task.inventory.Inventories;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Loading a 100,000-entry inventory (70% IPv4 addresses, 10% IPv6 addresses, 15% IPv4 prefixes /8
 * to /30, 5% IPv6 prefixes /32 to /64, 200 hostgroups) and looking addresses up in it.
 *
 * <p>Through the supported {@link Inventories} API, as a library user loads it. Lookups run over
 * 1,024 probes of one kind per invocation; the figure is per lookup. A miss is the worst case: it
 * probes every prefix length present.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InventoryBenchmark {

  private static final int PROBES = 1024;

  @Param("100000")
  public int entries;

  private byte[] arrayJson;
  private byte[] ndjson;
  private Inventory inventory;
  private InetAddress[] exact4;
  private InetAddress[] prefix4;
  private InetAddress[] miss4;
  private InetAddress[] prefix6;

  @Setup
  public void setUp() throws IOException {
    Random random = new Random(42);
    List<String> objects = new ArrayList<>(entries);
    List<InetAddress> exact = new ArrayList<>();
    List<InetAddress> inPrefix4 = new ArrayList<>();
    List<InetAddress> inPrefix6 = new ArrayList<>();
    for (int i = 0; i < entries; i++) {
      int kind = random.nextInt(100);
      String ip;
      if (kind < 70) {
        byte[] address = {10, (byte) random.nextInt(256), (byte) random.nextInt(256), (byte) i};
        ip = InetAddress.getByAddress(address).getHostAddress();
        exact.add(InetAddress.getByAddress(address));
      } else if (kind < 80) {
        byte[] address = v6(random);
        ip = InetAddress.getByAddress(address).getHostAddress();
      } else if (kind < 95) {
        int length = 8 + random.nextInt(23);
        byte[] address = {
          (byte) (100 + random.nextInt(20)),
          (byte) random.nextInt(256),
          (byte) random.nextInt(256),
          (byte) random.nextInt(256)
        };
        ip = InetAddress.getByAddress(address).getHostAddress() + "/" + length;
        inPrefix4.add(InetAddress.getByAddress(address));
      } else {
        int length = 32 + random.nextInt(33);
        byte[] address = v6(random);
        ip = InetAddress.getByAddress(address).getHostAddress() + "/" + length;
        inPrefix6.add(InetAddress.getByAddress(address));
      }
      int group = random.nextInt(200);
      objects.add(
          "{\"ip_address\":\""
              + ip
              + "\",\"domain\":\"host"
              + i
              + ".group"
              + group
              + ".example\",\"hostgroup\":\"group"
              + group
              + "\",\"owner\":\"team"
              + (group % 17)
              + "\"}");
    }
    arrayJson = ("[\n" + String.join(",\n", objects) + "\n]\n").getBytes(StandardCharsets.UTF_8);
    ndjson = (String.join("\n", objects) + "\n").getBytes(StandardCharsets.UTF_8);
    inventory = Inventories.parse(arrayJson, "arrayjson");

    exact4 = sample(exact, random);
    prefix4 = sample(inPrefix4, random);
    prefix6 = sample(inPrefix6, random);
    miss4 = new InetAddress[PROBES];
    for (int i = 0; i < PROBES; i++) {
      miss4[i] = InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, (byte) i});
    }
    check(exact4, true);
    check(prefix4, true);
    check(prefix6, true);
    check(miss4, false);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Inventory loadArrayJson() throws IOException {
    return Inventories.parse(arrayJson, "arrayjson");
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Inventory loadNdjson() throws IOException {
    return Inventories.parse(ndjson, "ndjson");
  }

  @Benchmark
  @OperationsPerInvocation(PROBES)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public void lookupExactIpv4(Blackhole blackhole) {
    lookupAll(exact4, blackhole);
  }

  @Benchmark
  @OperationsPerInvocation(PROBES)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public void lookupPrefixIpv4(Blackhole blackhole) {
    lookupAll(prefix4, blackhole);
  }

  @Benchmark
  @OperationsPerInvocation(PROBES)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public void lookupPrefixIpv6(Blackhole blackhole) {
    lookupAll(prefix6, blackhole);
  }

  @Benchmark
  @OperationsPerInvocation(PROBES)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public void lookupMissIpv4(Blackhole blackhole) {
    lookupAll(miss4, blackhole);
  }

  private void lookupAll(InetAddress[] probes, Blackhole blackhole) {
    for (InetAddress probe : probes) {
      blackhole.consume(inventory.lookup(probe));
    }
  }

  private static byte[] v6(Random random) {
    byte[] address = new byte[16];
    random.nextBytes(address);
    address[0] = 0x20;
    address[1] = 0x01;
    address[2] = 0x0d;
    address[3] = (byte) 0xb8;
    return address;
  }

  private static InetAddress[] sample(List<InetAddress> from, Random random) {
    InetAddress[] probes = new InetAddress[PROBES];
    for (int i = 0; i < PROBES; i++) {
      probes[i] = from.get(random.nextInt(from.size()));
    }
    return probes;
  }

  private void check(InetAddress[] probes, boolean known) {
    for (InetAddress probe : probes) {
      if (inventory.lookup(probe).filter(host -> !host.equals(Host.LOCALHOST)).isPresent()
          != known) {
        throw new IllegalStateException("benchmark data wrong for " + probe);
      }
    }
  }
}
