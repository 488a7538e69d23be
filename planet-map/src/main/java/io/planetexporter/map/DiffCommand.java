package io.planetexporter.map;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.OptionType;
import io.planetexporter.web.Flag;
import io.planetexporter.web.FlagCatalog;
import io.planetexporter.web.OptionSources;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code planet-map diff}: what changed in the map between two times, for scripts and CI. Prints
 * {@link DiffText}'s lines (or {@link DiffJson}'s document) and exits as diff(1): 0 when nothing
 * changed, 1 when something did, 2 on bad flags or when Prometheus fails (one line on stderr). The
 * Prometheus flags, credentials included, are the server's ({@link MapCommandLine}).
 */
public final class DiffCommand {

  static final int SAME = 0;
  static final int CHANGED = 1;
  static final int TROUBLE = 2;

  private static final Flag FROM =
      Flag.of(
          "from",
          OptionType.STRING,
          "",
          "Required: the earlier time, RFC 3339 (2026-12-06T10:00:00Z) or Unix seconds.");
  private static final Flag TO =
      Flag.of("to", OptionType.STRING, "", "The later time, as -from; default now.");
  private static final Flag RANGE =
      Flag.of(
          "range",
          OptionType.STRING,
          "1h",
          "The map at each time is that of the range before it, as the page's range.");
  private static final Flag HOSTGROUP =
      Flag.of(
          "hostgroup",
          OptionType.STRING,
          "",
          "Only the neighbourhood of this node (as the page's).");
  private static final Flag DEPTH =
      Flag.of("depth", OptionType.STRING, "1", "Edges away from -hostgroup, 1 to 10.");
  private static final Flag FORMAT =
      Flag.of(
          "format",
          OptionType.STRING,
          "text",
          "text: one line per change (+ added, - removed, ~ bandwidth moved by more than x2);"
              + " json: the document of /api/diff.");

  /** The diff's own flags, each also a parameter of {@code /api/diff} of the same name. */
  private static final List<Flag> PARAMETERS = List.of(FROM, TO, RANGE, HOSTGROUP, DEPTH);

  private static final Map<String, Flag> FLAGS =
      MapCommandLine.catalog(
          MapCommandLine.PROMETHEUS_FLAGS, List.of(FROM, TO, RANGE, HOSTGROUP, DEPTH, FORMAT));

  private static final FlagCatalog CATALOG = name -> Optional.ofNullable(FLAGS.get(name));

  private DiffCommand() {}

  /** What to compare, where, and how to print it. */
  record Settings(
      PrometheusSettings prometheus, Duration timeout, DiffRequest request, boolean json) {}

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err, Instant.now()));
  }

  /**
   * Runs the command.
   *
   * @return the exit status
   */
  static int run(List<String> args, PrintStream out, PrintStream err, Instant now) {
    Optional<Settings> parsed;
    try {
      parsed = parse(args, now);
    } catch (ConfigurationException e) {
      err.println("planet-map diff: " + e.getMessage());
      return TROUBLE;
    }
    if (parsed.isEmpty()) {
      out.print(help());
      out.flush();
      return SAME;
    }
    Settings settings = parsed.get();
    GraphDiff diff;
    try {
      diff =
          new DiffService(
                  new GraphService(
                      new PrometheusClient(settings.prometheus(), settings.timeout()),
                      settings.timeout(),
                      settings.prometheus().maxSeries()))
              .diff(settings.request());
    } catch (ConfigurationException | PrometheusException e) {
      err.println("planet-map diff: " + e.getMessage());
      return TROUBLE;
    }
    if (settings.json()) {
      out.println(new String(DiffJson.write(settings.request(), diff), UTF_8));
    } else {
      out.print(DiffText.write(diff));
    }
    out.flush();
    return diff.isEmpty() ? SAME : CHANGED;
  }

  static String help() {
    StringBuilder text =
        new StringBuilder(
            "Usage: planet-map diff -from T1 [-to T2] [-range D] [-hostgroup H] [-format text|json]"
                + " [flags]\n\nPrints what changed in the dependency map between the range before"
                + " T1 and that before T2.\nExit status: 0 nothing changed, 1 something did, 2"
                + " error.\n\n");
    FLAGS.values().forEach(flag -> flag.appendUsage(text));
    return text.toString();
  }

  /**
   * Reads the flags.
   *
   * @return empty when help was asked for
   * @throws ConfigurationException naming the flag when one is unknown, missing or bad
   */
  static Optional<Settings> parse(List<String> args, Instant now) throws ConfigurationException {
    OptionSources sources = OptionSources.read(args, Map.of(), CATALOG);
    if (sources.helpAsked()) {
      return Optional.empty();
    }
    String format = sources.value(FORMAT).text();
    if (!format.equals("text") && !format.equals("json")) {
      throw new ConfigurationException(
          sources.value(FORMAT).origin() + ": want text or json, got \"" + format + "\"");
    }
    Map<String, String> params = new HashMap<>();
    for (Flag flag : PARAMETERS) {
      params.put(flag.name(), sources.value(flag).text());
    }
    DiffRequest request;
    try {
      request = DiffRequest.of(params, now);
    } catch (IllegalArgumentException e) {
      // The message starts with the parameter's name, which is the flag's.
      throw new ConfigurationException("-" + e.getMessage(), e);
    }
    return Optional.of(
        new Settings(
            MapCommandLine.prometheus(sources),
            MapCommandLine.timeout(sources),
            request,
            format.equals("json")));
  }
}
