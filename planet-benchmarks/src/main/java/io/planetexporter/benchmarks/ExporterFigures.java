package io.planetexporter.benchmarks;

import io.planetexporter.testfixtures.ExporterProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/**
 * What the real exporter process costs on the sockets of the moment.
 *
 * @param ready median time from start to /-/ready (JVM start and first collection), and the CPU the
 *     exporter spent until then
 * @param firstCollectionMillis median duration of the first collection, as the exporter reports it
 *     ({@code planet_scrape_collector_duration_seconds}), NaN when it does not
 * @param steadyCollectionMillis the same for the last steady-state collection
 * @param cpuPerCollectionMillis CPU of the whole process over the steady-state windows divided by
 *     the socketstat runs completed in them (a collection may take longer than the interval)
 * @param rssMib resident set size after the steady-state windows
 * @param peakRssMib highest resident set size of the process
 * @param fdWalks walks of {@code /proc/<pid>/fd} over the steady-state windows (each for sockets
 *     its cache did not know; other programs' short-lived connections on a shared machine make
 *     them), NaN when the exporter does not say
 * @param scrape median wall time of a GET /metrics, and the process CPU it took
 * @param series samples in one scrape
 * @param unattributedChurn upstream series to the churn port without a process name, over every
 *     scrape
 * @param attributedChurn upstream series to the churn port with one, over every scrape
 * @param runs socketstat runs of the last exporter started ({@code planet_task_runs_total})
 * @param failures how many of them failed ({@code planet_task_failures_total})
 * @param destroyEvents sock_diag destroy events the last exporter received, NaN without
 * @param destroyEventsLost times it lost some ({@code planet_socketstat_destroy_events_lost_total})
 * @param destroyThreadCorePercent CPU of its destroy event thread over the steady-state windows, in
 *     % of one core
 */
record ExporterFigures(
    Timing ready,
    double firstCollectionMillis,
    double steadyCollectionMillis,
    double cpuPerCollectionMillis,
    double rssMib,
    double peakRssMib,
    double fdWalks,
    Timing scrape,
    int series,
    int unattributedChurn,
    int attributedChurn,
    double runs,
    double failures,
    double destroyEvents,
    double destroyEventsLost,
    double destroyThreadCorePercent) {
  private static final String DURATION = "planet_scrape_collector_duration_seconds";
  private static final String WALKS = "planet_socketstat_fd_walks_total";
  private static final int SCRAPES = 10;

  /**
   * @param source the exporter's {@code -task-socketstat-source}
   * @param namespaces the exporter's {@code -task-socketstat-namespaces}: {@code own} leaves out
   *     the network namespaces that others' tests and soaks create on a shared machine
   */
  static ExporterFigures measure(
      Path home,
      String javaOpts,
      String source,
      String namespaces,
      int starts,
      int intervalSeconds,
      int windows,
      int churnPort)
      throws Exception {
    List<String> args =
        List.of(
            "-task-interval",
            intervalSeconds + "s",
            "-task-socketstat-source",
            source,
            "-task-socketstat-namespaces",
            namespaces);
    List<Timing> ready = new ArrayList<>();
    List<Double> first = new ArrayList<>();
    for (int i = 0; i < starts; i++) {
      long start = System.nanoTime();
      try (ExporterProcess exporter = BenchExporter.start(home, javaOpts, args)) {
        awaitReady(exporter);
        ready.add(
            new Timing(
                (System.nanoTime() - start) / 1e6, BenchExporter.usage(exporter).cpuMillis()));
        String beforeWindows = BenchExporter.get(exporter, "/metrics").body();
        first.add(collectionMillis(beforeWindows));
        if (i < starts - 1) {
          continue;
        }
        SocketstatBench.progress("exporter pid " + exporter.pid() + ": steady state");
        ProcessUsage beforeWindowsUsage = BenchExporter.usage(exporter);
        double destroyThreadBefore = destroyThreadCpuMillis(exporter.pid());
        long windowsStart = System.nanoTime();
        Thread.sleep(windows * intervalSeconds * 1000L);
        double destroyThreadPercent =
            100
                * (destroyThreadCpuMillis(exporter.pid()) - destroyThreadBefore)
                / ((System.nanoTime() - windowsStart) / 1e6);
        ProcessUsage usage = BenchExporter.usage(exporter);
        List<Timing> scrapes = new ArrayList<>();
        int unattributed = 0;
        int attributed = 0;
        String text = "";
        double runsAfterWindows = Double.NaN;
        for (int s = 0; s < SCRAPES; s++) {
          double cpuBefore = BenchExporter.usage(exporter).cpuMillis();
          BenchExporter.Fetched scrape = BenchExporter.get(exporter, "/metrics");
          text = scrape.body();
          if (s == 0) {
            runsAfterWindows = socketstatValue(text, "planet_task_runs_total");
          }
          scrapes.add(
              new Timing(scrape.millis(), BenchExporter.usage(exporter).cpuMillis() - cpuBefore));
          unattributed += Attribution.unattributedUpstream(text, churnPort);
          attributed += Attribution.attributedUpstream(text, churnPort);
        }
        return new ExporterFigures(
            Timing.median(ready),
            Timing.median(first.stream().mapToDouble(Double::doubleValue).toArray()),
            collectionMillis(text),
            (usage.cpuMillis() - beforeWindowsUsage.cpuMillis())
                / (runsAfterWindows - socketstatValue(beforeWindows, "planet_task_runs_total")),
            usage.rssKib() / 1024.0,
            usage.peakRssKib() / 1024.0,
            value(text, WALKS) - value(beforeWindows, WALKS),
            Timing.median(scrapes),
            (int) text.lines().filter(line -> !line.startsWith("#") && !line.isBlank()).count(),
            unattributed,
            attributed,
            socketstatValue(text, "planet_task_runs_total"),
            socketstatValue(text, "planet_task_failures_total"),
            value(text, "planet_socketstat_destroy_events_total"),
            value(text, "planet_socketstat_destroy_events_lost_total"),
            destroyThreadPercent);
      }
    }
    throw new IllegalArgumentException("exporter starts must be at least 1, got " + starts);
  }

  static void awaitReady(ExporterProcess exporter) throws InterruptedException {
    long deadline = System.nanoTime() + 600_000_000_000L;
    while (!BenchExporter.ready(exporter)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("exporter not ready after 600 s");
      }
      Thread.sleep(20);
    }
  }

  /**
   * CPU time so far of the exporter's destroy event thread ({@code socketstat-destroy-events},
   * whose {@code comm} the kernel cuts to 15 characters), 0 when it has none.
   */
  private static double destroyThreadCpuMillis(long pid) throws IOException {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (Stream<Path> threads = Files.list(tasks)) {
      for (Path thread : threads.toList()) {
        try {
          if (Files.readString(thread.resolve("comm")).strip().equals("socketstat-dest")) {
            return ProcessUsage.cpuMillis(Files.readString(thread.resolve("stat")));
          }
        } catch (NoSuchFileException ignored) {
          // the thread ended meanwhile
        }
      }
    }
    return 0;
  }

  /** The value of an unlabelled sample in a scrape, NaN when absent. */
  private static double value(String metricsText, String metric) {
    return metricsText
        .lines()
        .filter(line -> line.startsWith(metric + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(Double.NaN);
  }

  /** The socketstat task's last run duration from a scrape, NaN when the exporter omits it. */
  static double collectionMillis(String metricsText) {
    return socketstatValue(metricsText, DURATION) * 1000;
  }

  /** The value of {@code metric{collector="socketstat"}} in a scrape, NaN when absent. */
  static double socketstatValue(String metricsText, String metric) {
    OptionalDouble value =
        metricsText
            .lines()
            .filter(line -> line.startsWith(metric + "{") && line.contains("\"socketstat\""))
            .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
            .findFirst();
    return value.orElse(Double.NaN);
  }
}
