package io.planetexporter.benchmarks;

import io.planetexporter.testfixtures.Distribution;
import io.planetexporter.testfixtures.ExporterProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The socketstat benchmark: for each N, opens N established loopback connections and measures, on
 * the same sockets and in the same run, {@code ss -tanp}, {@code ss -tan}, reading the socket
 * table, one socketstat collection in this JVM (first and steady-state) and the real exporter
 * process (first collection, CPU and RSS per collection, scrape time). Prints Markdown tables.
 *
 * <p>Run it with {@code bench/socketstat.sh}; options: {@code --sizes 1000,10000,40000,120000},
 * {@code --runs 5}, {@code --exporter-starts 3}, {@code --interval 2} (seconds between the
 * exporter's collections), {@code --windows 6}, {@code --time-wait 0}, {@code --churn 0}
 * (connections replaced per second in the extra churn scenario), {@code --churn-size 10000}, {@code
 * --tarball <planet-exporter-*.tar.gz>}, {@code --sources netlink,proc} (the exporter process is
 * measured once per {@code -task-socketstat-source}, on the same sockets), {@code --namespaces all}
 * (its {@code -task-socketstat-namespaces}; {@code own} leaves out other namespaces, which {@code
 * ss} does not read either), {@code --placements host} (where the load is: {@code host}, the root
 * namespace with the exporter; {@code container}, a network namespace of its own; {@code
 * containers}, {@code --containers 10} namespaces sharing the N connections; a comma-separated list
 * measures each on its own connections, the exporter staying in the root namespace; the baselines
 * run in each namespace that holds the load), {@code --compare-java-opts <JVM flags>} and {@code
 * --compare-exporter-args <exporter flags>} (an exporter so changed runs beside the shipped one on
 * the same sockets of the host placement, e.g. {@code -task-socketstat-health=false}).
 */
public final class SocketstatBench {
  private static final Path PROC = Path.of("/proc");

  private final Map<String, String> options;
  private final int runs;

  private SocketstatBench(Map<String, String> options) {
    this.options = options;
    this.runs = Integer.parseInt(option("runs", "5"));
  }

  public static void main(String[] args) throws Exception {
    new SocketstatBench(BenchArgs.parse(args)).run();
  }

  private String option(String name, String defaultValue) {
    return options.getOrDefault(name, defaultValue);
  }

  private int intOption(String name, String defaultValue) {
    return Integer.parseInt(option(name, defaultValue));
  }

  private void run() throws Exception {
    Path home = exporterHome();
    try {
      run(home);
    } finally {
      if (home != null) {
        TaskFactory.deleteTree(home.getParent());
      }
    }
  }

  private void run(Path home) throws Exception {
    progress("warming up the JIT on a synthetic socket table");
    InProcessCollection.warmUp();
    List<Row> rows = new ArrayList<>();
    StringBuilder flagComparison = new StringBuilder();
    String compareOpts = option("compare-java-opts", "");
    String compareArgs = option("compare-exporter-args", "");
    int timeWait = intOption("time-wait", "0");
    for (String size : option("sizes", "1000,10000,40000,120000").split(",")) {
      if (size.isBlank()) {
        continue; // --sizes "": only the churn scenario
      }
      int n = Integer.parseInt(size.trim());
      for (String where : option("placements", "host").split(",")) {
        progress("N=" + n + ", " + where + ": opening connections");
        try (Placement placement = placement(where.trim());
            ConnectionHarness harness = ConnectionHarness.open(n, timeWait, 0, placement)) {
          rows.add(measure(n, harness, home, placement));
          if (home != null
              && !(compareOpts + compareArgs).isEmpty()
              && placement.namespaces().isEmpty()) {
            progress("N=" + n + ": shipped against " + compareOpts + " " + compareArgs);
            flagComparison.append(
                FlagComparison.measure(
                    n,
                    home,
                    compareOpts,
                    compareArgs,
                    intOption("interval", "2"),
                    2 * intOption("windows", "6")));
          }
        }
      }
    }
    int churn = intOption("churn", "0");
    if (churn > 0) {
      int n = intOption("churn-size", "10000");
      progress("churn: N=" + n + " + " + churn + "/s");
      try (ConnectionHarness harness = ConnectionHarness.open(n, timeWait, churn)) {
        // Let TIME_WAIT sockets pile up on the churning listener before measuring.
        Thread.sleep(intOption("churn-warmup", "20") * 1000L);
        rows.add(measure(n, harness, home, Placement.host()));
      }
    }
    System.out.println(Report.render(rows, Instant.now(), churn));
    if (flagComparison.length() > 0) {
      System.out.println(
          "Two exporters side by side on the same sockets (medians over the same windows):\n\n"
              + "| N | flags | CPU per interval | CPU per run (runs) | RSS (peak) |\n"
              + "|---|---|---|---|---|\n"
              + flagComparison);
    }
    int series = intOption("scrape-series", "10000");
    if (home != null && series > 0) {
      System.out.println(scrapeOfSyntheticSeries(home, series));
    }
  }

  /** GET /metrics of an exporter whose socket table has {@code series} distinct peers. */
  private String scrapeOfSyntheticSeries(Path home, int series) throws Exception {
    progress("scrape of " + series + " series");
    Path procRoot =
        SyntheticProc.writeTree(Files.createTempDirectory("planet-bench-proc-"), series);
    try (ExporterProcess exporter =
        BenchExporter.start(
            home, javaOpts(), List.of("-task-socketstat-proc-root", procRoot.toString()))) {
      ExporterFigures.awaitReady(exporter);
      List<Timing> scrapes = new ArrayList<>();
      String text = "";
      for (int i = 0; i < 20; i++) {
        double cpu = BenchExporter.usage(exporter).cpuMillis();
        BenchExporter.Fetched scrape = BenchExporter.get(exporter, "/metrics");
        text = scrape.body();
        scrapes.add(new Timing(scrape.millis(), BenchExporter.usage(exporter).cpuMillis() - cpu));
      }
      long samples = text.lines().filter(line -> line.startsWith("planet_upstream{")).count();
      Timing median = Timing.median(scrapes);
      return String.format(
          Locale.ROOT,
          "GET /metrics of the exporter with %,d planet_upstream series (%,d bytes), median of 20:"
              + " %.1f ms wall, %.0f ms CPU of the exporter%n",
          samples,
          text.length(),
          median.wallMillis(),
          median.cpuMillis());
    } finally {
      TaskFactory.deleteTree(procRoot);
    }
  }

  /** JVM options for the exporter instead of the shipped ones, or null to keep those. */
  private String javaOpts() {
    return options.get("java-opts");
  }

  private Path exporterHome() throws IOException, InterruptedException {
    String tarball = option("tarball", "");
    if (tarball.isEmpty()) {
      progress("no --tarball: the exporter process is not measured");
      return null;
    }
    return Distribution.unpackToTemporaryDirectory(Path.of(tarball));
  }

  private Placement placement(String name) throws IOException, InterruptedException {
    return switch (name) {
      case "host" -> Placement.host();
      case "container" -> Placement.containers(1);
      case "containers" -> Placement.containers(intOption("containers", "10"));
      default ->
          throw new IllegalArgumentException(
              "--placements: \"" + name + "\" is not one of host, container, containers");
    };
  }

  private Row measure(int n, ConnectionHarness harness, Path home, Placement placement)
      throws Exception {
    SocketCensus census = census(harness, placement);
    // What else the exporter reads: on a shared machine, other programs' sockets.
    SocketCensus root = SocketCensus.take(PROC);
    progress("N=" + n + ", " + placement.label() + ": " + census + ", root namespace " + root);
    List<Timing> ssP = new ArrayList<>();
    List<Timing> ss = new ArrayList<>();
    List<Timing> cat = new ArrayList<>();
    List<Timing> first = new ArrayList<>();
    List<Timing> steady = new ArrayList<>();
    List<Timing> snapshot = new ArrayList<>();
    int unattributed = 0;
    int attributed = 0;
    // Interleaved, so that noise from the rest of the machine hits every column alike.
    int ssPRuns = n >= 100_000 ? Math.min(runs, 3) : runs;
    for (int r = 0; r < runs; r++) {
      if (r < ssPRuns) {
        ssP.add(CommandTimer.time(placement.whereTheLoadIs("ss -tanp")));
      }
      ss.add(CommandTimer.time(placement.whereTheLoadIs("ss -tan")));
      cat.add(CommandTimer.time(placement.whereTheLoadIs("cat /proc/net/tcp /proc/net/tcp6")));
      InProcessCollection.Result result = InProcessCollection.measure(2, harness.churnPort());
      first.add(result.first());
      steady.add(result.steady());
      snapshot.add(result.snapshot());
      unattributed += result.unattributedChurn();
      attributed += result.attributedChurn();
      progress(
          String.format(
              Locale.ROOT,
              "N=%d run %d: ss -tanp %s, ours first %s, steady %s",
              n,
              r,
              r < ssPRuns ? ssP.get(r) : "-",
              result.first(),
              result.steady()));
    }
    Map<String, ExporterFigures> exporters = new LinkedHashMap<>();
    if (home != null) {
      for (String source : option("sources", "netlink,proc").split(",")) {
        progress("N=" + n + ": the exporter, source " + source);
        exporters.put(
            source,
            ExporterFigures.measure(
                home,
                javaOpts(),
                source,
                option("namespaces", "all"),
                intOption("exporter-starts", "3"),
                intOption("interval", "2"),
                intOption("windows", "6"),
                harness.churnPort()));
      }
    }
    return new Row(
        n,
        placement.label(),
        harness.churnPort() > 0,
        census,
        root,
        Timing.median(ssP),
        Timing.median(ss),
        Timing.median(cat),
        Timing.median(first),
        Timing.median(steady),
        Timing.median(snapshot),
        unattributed,
        attributed,
        exporters);
  }

  static void progress(String message) {
    System.err.println("[bench " + Instant.now() + "] " + message);
  }

  /** The TCP sockets where the load is: in each of its namespaces, through a worker in it. */
  private static SocketCensus census(ConnectionHarness harness, Placement placement)
      throws IOException {
    if (placement.namespaces().isEmpty()) {
      return SocketCensus.take(PROC);
    }
    Map<Path, Long> workerByNamespace = new LinkedHashMap<>();
    for (long pid : harness.pids()) {
      workerByNamespace.putIfAbsent(Files.readSymbolicLink(PROC.resolve(pid + "/ns/net")), pid);
    }
    SocketCensus sum = new SocketCensus(0, 0, 0);
    for (long pid : workerByNamespace.values()) {
      sum = sum.plus(SocketCensus.take(PROC.resolve(Long.toString(pid))));
    }
    return sum;
  }

  /**
   * The figures of one N in one placement ({@link Placement#label()}); the exporter's by socket
   * source, none when not measured.
   *
   * @param census the TCP sockets where the load is
   * @param root the TCP sockets of the root namespace (the exporter's), the load's among them in
   *     the host placement
   */
  record Row(
      int n,
      String placement,
      boolean churn,
      SocketCensus census,
      SocketCensus root,
      Timing ssTanp,
      Timing ssTan,
      Timing catTcp,
      Timing first,
      Timing steady,
      Timing snapshot,
      int unattributedChurn,
      int attributedChurn,
      Map<String, ExporterFigures> exporters) {}
}
