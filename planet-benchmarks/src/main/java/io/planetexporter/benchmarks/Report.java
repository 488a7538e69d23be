package io.planetexporter.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders the socketstat benchmark's figures as Markdown, ready for BENCHMARKS.md. */
final class Report {
  private static final double DEFAULT_INTERVAL_MILLIS = 7_000;

  private Report() {}

  static String render(List<SocketstatBench.Row> rows, Instant date, int churnPerSecond) {
    StringBuilder out = new StringBuilder();
    out.append("Machine: ").append(machine()).append("  \nDate: ").append(date).append("\n\n");
    out.append(
        "| N, placement | sockets (ESTAB / TIME_WAIT) | `ss -tanp` wall / CPU | `ss -tan` wall / CPU"
            + " | `cat tcp tcp6` wall | ours, first: wall / CPU (wall × ss -tanp)"
            + " | ours, steady: wall / CPU (CPU × ss -tanp) | exporter's first collection"
            + " (× ss -tanp) |\n");
    out.append("|---|---|---|---|---|---|---|---|\n");
    for (SocketstatBench.Row row : rows) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d / %,d | %s | %s | %s | %s (%.2f×) | %s (%.3f×) | %s |\n",
              label(row, churnPerSecond),
              row.census().established(),
              row.census().timeWait(),
              ms(row.ssTanp()),
              ms(row.ssTan()),
              ms(row.catTcp().wallMillis()),
              ms(row.first()),
              row.first().wallMillis() / row.ssTanp().wallMillis(),
              ms(row.steady()),
              row.steady().cpuMillis() / row.ssTanp().cpuMillis(),
              firstCollections(row)));
    }
    for (SocketstatBench.Row row : rows) {
      if (!row.placement().equals("host")) {
        out.append(
            String.format(
                Locale.ROOT,
                "%nThe root namespace, which the exporter reads too (%s): %,d TCP sockets, %,d of"
                    + " them established.%n",
                label(row, churnPerSecond),
                row.root().total(),
                row.root().established()));
      }
    }
    for (SocketstatBench.Row row : rows) {
      if (row.churn()) {
        out.append(
            String.format(
                Locale.ROOT,
                "%nChurn (%s): the churn worker holds %,d connections and replaces %d a second,"
                    + " its server side closing first; planet_upstream series to its port with"
                    + " process_name=\"\" over every in-process collection: %d (and with a"
                    + " process name: %d).%n",
                label(row, churnPerSecond),
                ConnectionHarness.churnHeld(churnPerSecond),
                churnPerSecond,
                row.unattributedChurn(),
                row.attributedChurn()));
        ExporterFigures netlink = row.exporters().get("netlink");
        if (netlink != null) {
          out.append(
              String.format(
                  Locale.ROOT,
                  "The netlink exporter's destroy event thread: %.0f events received, %.0f"
                      + " overruns (events lost), %.2f %% of one core over the steady-state"
                      + " windows.%n",
                  netlink.destroyEvents(),
                  netlink.destroyEventsLost(),
                  netlink.destroyThreadCorePercent()));
        }
      }
    }
    out.append("\nThe exporter process (bin/planet-exporter with its shipped JVM flags):\n\n");
    out.append(
        "| N, placement | source | start to ready: wall / CPU | steady collection | CPU per"
            + " collection (× ss -tan CPU, × ss -tanp CPU) | CPU at the default 7 s interval"
            + " | RSS (peak) | fd walks in the windows | GET /metrics: wall / CPU | samples"
            + " | socketstat runs (failed) | churn-port upstream series without process (with) |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (SocketstatBench.Row row : rows) {
      for (Map.Entry<String, ExporterFigures> source : row.exporters().entrySet()) {
        ExporterFigures e = source.getValue();
        out.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %s (%.2f×, %.3f×) | %.2f %% of a core | %.0f MiB (%.0f MiB)"
                    + " | %.0f | %s | %,d | %.0f (%.0f) | %s |\n",
                label(row, churnPerSecond),
                source.getKey(),
                ms(e.ready()),
                ms(e.steadyCollectionMillis()),
                ms(e.cpuPerCollectionMillis()),
                e.cpuPerCollectionMillis() / row.ssTan().cpuMillis(),
                e.cpuPerCollectionMillis() / row.ssTanp().cpuMillis(),
                100 * e.cpuPerCollectionMillis() / DEFAULT_INTERVAL_MILLIS,
                e.rssMib(),
                e.peakRssMib(),
                e.fdWalks(),
                ms(e.scrape()),
                e.series(),
                e.runs(),
                e.failures(),
                row.churn()
                    ? e.unattributedChurn() + " (with: " + e.attributedChurn() + ")"
                    : "-"));
      }
    }
    return out.toString();
  }

  /** The exporter's first collection per source, and its ratio to {@code ss -tanp}'s wall time. */
  private static String firstCollections(SocketstatBench.Row row) {
    if (row.exporters().isEmpty()) {
      return "not measured";
    }
    StringBuilder cell = new StringBuilder();
    for (Map.Entry<String, ExporterFigures> source : row.exporters().entrySet()) {
      double first = source.getValue().firstCollectionMillis();
      cell.append(cell.length() == 0 ? "" : "; ")
          .append(
              String.format(
                  Locale.ROOT,
                  "%s %s (%.2f×)",
                  source.getKey(),
                  ms(first),
                  first / row.ssTanp().wallMillis()));
    }
    return cell.toString();
  }

  private static String label(SocketstatBench.Row row, int churnPerSecond) {
    String n = String.format(Locale.ROOT, "%,d, %s", row.n(), row.placement());
    return row.churn() ? n + " + churn " + churnPerSecond + "/s" : n;
  }

  private static String ms(Timing sample) {
    return ms(sample.wallMillis()) + " / " + ms(sample.cpuMillis());
  }

  private static String ms(double millis) {
    if (Double.isNaN(millis)) {
      return "n/a";
    }
    return millis >= 100
        ? String.format(Locale.ROOT, "%,.0f ms", millis)
        : String.format(Locale.ROOT, "%.1f ms", millis);
  }

  /** nproc, CPU model, memory and kernel, from /proc. */
  static String machine() {
    try {
      String model =
          Files.readString(Path.of("/proc/cpuinfo"))
              .lines()
              .filter(line -> line.startsWith("model name"))
              .map(line -> line.substring(line.indexOf(':') + 1).trim())
              .findFirst()
              .orElse("unknown CPU");
      String memory =
          Files.readString(Path.of("/proc/meminfo")).lines().findFirst().orElse("").trim();
      String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
      return String.format(
          Locale.ROOT,
          "%d CPUs (%s), %s, Linux %s, Java %s",
          Runtime.getRuntime().availableProcessors(),
          model,
          memory.replaceAll("\\s+", " "),
          kernel,
          System.getProperty("java.version"));
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
