package io.planetexporter.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.planetexporter.testfixtures.Distribution;
import io.planetexporter.testfixtures.ExporterProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak: the exporter from the tarball, with its shipped JVM flags, runs for {@code --minutes}
 * with every input moving: a churning worker replacing {@code --churn} loopback connections a
 * second, an inventory file rewritten every {@code --inventory-every} seconds (and reloaded as
 * often), and a darkstat page of {@code --hosts} hosts, all replaced every minute (so the darkstat
 * task folds and forgets peers all the time). Every {@code --sample} seconds it reads the
 * exporter's CPU time and RSS from /proc and its runs per task from /metrics, then prints a
 * Markdown table per minute and the verdict: RSS growth after minute 5 and CPU per collection in
 * the first and last thirds of the run. {@code --java-opts} replaces the shipped JVM flags (to look
 * inside, e.g. with native memory tracking).
 *
 * <p>Run it with {@code bench/soak.sh}. Loopback only; the darkstat peers are 198.18.0.0/15 and
 * fd00::/8 addresses that only appear in the page.
 */
public final class SoakBench {

  private static final Pattern RUNS =
      Pattern.compile("^planet_task_runs_total\\{collector=\"([a-z-]+)\"} (\\S+)$");
  private static final Pattern GAUGE = Pattern.compile("^(planet_[a-z_]+)(\\{[^}]*})? (\\S+)$");

  private final Map<String, String> options;

  private SoakBench(Map<String, String> options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    new SoakBench(BenchArgs.parse(args)).run();
  }

  private int intOption(String name, int defaultValue) {
    return Integer.parseInt(options.getOrDefault(name, Integer.toString(defaultValue)));
  }

  /** One reading of the exporter. */
  private record Reading(
      double seconds, double cpuMillis, long rssKib, Map<String, Double> runs, double folded) {}

  private void run() throws Exception {
    int minutes = intOption("minutes", 30);
    int churn = intOption("churn", 200);
    int inventoryEvery = intOption("inventory-every", 10);
    int hosts = intOption("hosts", 15_000);
    int sampleEvery = intOption("sample", 10);
    Path home = Distribution.unpackToTemporaryDirectory(Path.of(options.get("tarball")));
    Path work = Files.createTempDirectory("planet-soak-");
    AtomicReference<byte[]> page = new AtomicReference<>(darkstatPage(hosts, 0));
    HttpServer darkstat =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    darkstat.createContext(
        "/metrics",
        exchange -> {
          byte[] body = page.get();
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    darkstat.start();
    Path inventory = work.resolve("inventory.json");
    writeInventory(inventory, work, 0);
    List<Reading> readings = new ArrayList<>();
    String started = Instant.now().toString();
    try (ConnectionHarness harness = ConnectionHarness.open(1_000, 0, churn);
        ExporterProcess exporter =
            BenchExporter.start(
                home,
                options.get("java-opts"),
                List.of(
                    "-primary-ip",
                    "198.19.255.254",
                    "-task-inventory-enabled",
                    "-task-inventory-addr",
                    inventory.toString(),
                    "-task-inventory-interval",
                    inventoryEvery + "s",
                    "-task-darkstat-enabled",
                    "-task-darkstat-addr",
                    "http://127.0.0.1:" + darkstat.getAddress().getPort() + "/metrics",
                    // The machine is shared and loaded: a busy minute must not fail the fetch.
                    "-task-darkstat-fetch-timeout",
                    "30s"))) {
      progress(
          "soak of "
              + minutes
              + " min: churn "
              + churn
              + "/s on port "
              + harness.churnPort()
              + ", inventory every "
              + inventoryEvery
              + " s, darkstat "
              + hosts
              + " hosts replaced every minute");
      long start = System.nanoTime();
      long total = minutes * 60L;
      long done = 0;
      // Actions are due by the wall clock, so that the time they take does not stretch the soak.
      while (done < total) {
        long now = (System.nanoTime() - start) / 1_000_000_000L;
        if (now <= done) {
          long next = start + (done + 1) * 1_000_000_000L;
          Thread.sleep((next - System.nanoTime()) / 1_000_000 + 1);
          continue;
        }
        for (long second = done + 1; second <= Math.min(now, total); second++) {
          if (second % 60 == 0) {
            page.set(darkstatPage(hosts, (int) (second / 60)));
          }
          if (second % inventoryEvery == 0) {
            writeInventory(inventory, work, (int) (second / inventoryEvery));
          }
          if (second % sampleEvery == 0) {
            readings.add(read(exporter, second));
          }
        }
        done = Math.min(now, total);
      }
    } finally {
      darkstat.stop(0);
      TaskFactory.deleteTree(work);
      TaskFactory.deleteTree(home.getParent());
    }
    System.out.print(report(readings, started, sampleEvery));
  }

  private static Reading read(ExporterProcess exporter, double seconds)
      throws IOException, InterruptedException {
    ProcessUsage usage = BenchExporter.usage(exporter);
    Map<String, Double> runs = new LinkedHashMap<>();
    double folded = 0;
    for (String line : BenchExporter.get(exporter, "/metrics").body().lines().toList()) {
      Matcher m = RUNS.matcher(line);
      if (m.matches()) {
        runs.put(m.group(1), Double.parseDouble(m.group(2)));
        continue;
      }
      Matcher g = GAUGE.matcher(line);
      if (g.matches() && g.group(1).equals("planet_darkstat_folded_peers")) {
        folded = Double.parseDouble(g.group(3));
      }
    }
    return new Reading(seconds, usage.cpuMillis(), usage.rssKib(), runs, folded);
  }

  /** A Markdown table per minute and the verdict. */
  static String report(List<Reading> readings, String started, int sampleEvery) {
    StringBuilder out = new StringBuilder();
    out.append("Started ").append(started).append(", ").append(readings.size());
    out.append(" readings every ").append(sampleEvery).append(" s.\n\n");
    out.append("| minute | RSS MiB (end of minute) | CPU ms in the minute | socketstat runs |")
        .append(
            " CPU ms per collection (all tasks' CPU / socketstat runs) | darkstat folded peers |\n")
        .append("|---|---|---|---|---|---|\n");
    int perMinute = Math.max(1, 60 / sampleEvery);
    List<Double> perRun = new ArrayList<>();
    double rssAt5 = Double.NaN;
    double maxAfter5 = 0;
    for (int i = perMinute - 1; i < readings.size(); i += perMinute) {
      Reading now = readings.get(i);
      Reading before = i >= perMinute ? readings.get(i - perMinute) : readings.get(0);
      int minute = (int) Math.round(now.seconds() / 60);
      double cpu = now.cpuMillis() - before.cpuMillis();
      double runs =
          now.runs().getOrDefault("socketstat", 0.0)
              - before.runs().getOrDefault("socketstat", 0.0);
      double cpuPerRun = runs > 0 ? cpu / runs : Double.NaN;
      if (minute > 1) {
        perRun.add(cpuPerRun);
      }
      double rssMib = now.rssKib() / 1024.0;
      if (minute == 5) {
        rssAt5 = rssMib;
      }
      if (minute > 5) {
        maxAfter5 = Math.max(maxAfter5, rssMib);
      }
      out.append(
          String.format(
              Locale.ROOT,
              "| %d | %.1f | %.0f | %.0f | %.1f | %.0f |%n",
              minute,
              rssMib,
              cpu,
              runs,
              cpuPerRun,
              now.folded()));
    }
    Reading last = readings.get(readings.size() - 1);
    out.append('\n')
        .append(
            String.format(
                Locale.ROOT,
                "RSS at minute 5: %.1f MiB; highest after minute 5: %.1f MiB; at the end: %.1f MiB"
                    + " (growth after minute 5: %.1f MiB).%n",
                rssAt5,
                maxAfter5,
                last.rssKib() / 1024.0,
                maxAfter5 - rssAt5));
    int third = perRun.size() / 3;
    if (third > 0) {
      out.append(
          String.format(
              Locale.ROOT,
              "CPU per collection, median of the minutes after the first: first third %.1f ms, last third"
                  + " %.1f ms.%n",
              median(perRun.subList(0, third)),
              median(perRun.subList(perRun.size() - third, perRun.size()))));
    }
    return out.toString();
  }

  private static double median(List<Double> values) {
    return Timing.median(values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /**
   * darkstat's page in minute {@code minute}: hosts from a window that moves by its size (also what
   * DarkstatPageBenchmark parses).
   */
  public static byte[] darkstatPage(int hosts, int minute) {
    StringBuilder page = new StringBuilder(hosts * 180);
    page.append("# HELP host_bytes_total Total number of bytes.\n");
    page.append("# TYPE host_bytes_total counter\n");
    int first = (minute * hosts) % 120_000;
    for (int i = 0; i < hosts; i++) {
      int n = (first + i) % 120_000;
      String ip =
          n < 64_000
              ? "198.18." + n / 250 + "." + (n % 250 + 1)
              : "fd00::" + Integer.toHexString(n >>> 16) + ":" + Integer.toHexString(n & 0xffff);
      long bytes = 1_000L * (minute + 1) + n;
      for (String dir : new String[] {"in", "out"}) {
        page.append("host_bytes_total{interface=\"eth0\",ip=\"")
            .append(ip)
            .append("\",dir=\"")
            .append(dir)
            .append("\"} ")
            .append(bytes)
            .append('\n');
      }
    }
    return page.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** An inventory of 5,000 entries whose domains change with {@code version}; replaced whole. */
  private static void writeInventory(Path inventory, Path work, int version) throws IOException {
    StringBuilder json = new StringBuilder("[\n");
    for (int i = 0; i < 5_000; i++) {
      json.append(
          String.format(
              Locale.ROOT,
              "{\"ip_address\":\"198.18.%d.%d\",\"domain\":\"h%d-v%d.example\","
                  + "\"hostgroup\":\"g%d\"}%s%n",
              i / 250,
              i % 250 + 1,
              i,
              version,
              i % 50,
              i == 4_999 ? "" : ","));
    }
    json.append("]\n");
    Path next = work.resolve("inventory.next");
    Files.writeString(next, json);
    Files.move(
        next, inventory, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void progress(String message) {
    System.err.println("[soak " + Instant.now() + "] " + message);
  }
}
