package io.planetexporter.dist;

import static io.planetexporter.dist.SocketHelpers.deleteTree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.planetexporter.testfixtures.Distribution;
import io.planetexporter.testfixtures.ExporterProcess;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Time travel, diff and {@code planet-map diff} against history, on Prometheus and on
 * VictoriaMetrics alike: two windows of half an hour of per-host series, three and one hours ago,
 * written once and loaded into both (Prometheus: {@code promtool tsdb create-blocks-from
 * openmetrics} before it starts; VictoriaMetrics: its Prometheus import API). Between the windows
 * {@code api -> db} vanishes, {@code api -> cache} appears, {@code web -> api} persists with five
 * times the bytes/s. Each engine gets a planet-map from the tarball; the diff page is drawn by
 * headless Chromium.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryIT {

  private static final ObjectMapper json = new ObjectMapper();
  private static final Duration WINDOW = Duration.ofMinutes(30);
  private static final String RANGE = "30m";
  private static final Duration DAY_BEFORE = Duration.ofMinutes(90);

  enum Engine {
    PROMETHEUS,
    VICTORIA_METRICS
  }

  /** The end of each window, on whole minutes. */
  private final Instant before =
      Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(3, ChronoUnit.HOURS);

  private final Instant after = before.plus(2, ChronoUnit.HOURS);
  private final List<AutoCloseable> started = new ArrayList<>();
  private final Map<Engine, URI> engines = new EnumMap<>(Engine.class);
  private final Map<Engine, ExporterProcess> maps = new EnumMap<>(Engine.class);
  private VictoriaMetricsServer victoria;

  @BeforeAll
  void loadTheHistory() throws Exception {
    assumeTrue(
        Files.isExecutable(VictoriaMetricsServer.BINARY),
        "needs Debian's victoria-metrics (apt-get install victoria-metrics)");
    List<Sample> history = history();
    PrometheusServer prometheus =
        PrometheusServer.start(
            List.of(),
            "",
            dir -> {
              Path openMetrics = dir.resolve("history.om");
              Files.writeString(openMetrics, Sample.openMetrics(history));
              Promtool.Result blocks =
                  Promtool.run(
                      dir,
                      "tsdb",
                      "create-blocks-from",
                      "openmetrics",
                      openMetrics.toString(),
                      dir.resolve("data").toString());
              assertThat(blocks.exitCode()).as(blocks.output()).isZero();
            });
    started.add(prometheus);
    engines.put(Engine.PROMETHEUS, prometheus.uri());
    victoria = VictoriaMetricsServer.start("30d");
    started.add(victoria);
    victoria.importText(Sample.prometheusText(history));
    engines.put(Engine.VICTORIA_METRICS, victoria.uri());
    for (Engine engine : Engine.values()) {
      ExporterProcess map =
          ExporterProcess.builder()
              .program("planet-map")
              .args("-prometheus-url", engines.get(engine).toString(), "-query-timeout", "10s")
              .start();
      started.add(map);
      maps.put(engine, map);
    }
  }

  @AfterAll
  void stopEverything() throws Exception {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
  }

  /** One series' samples every minute over a window; a counter grows by {@code rate} per second. */
  private record Sample(String name, String labels, double value, Instant time) {

    static String openMetrics(List<Sample> samples) {
      StringBuilder text = new StringBuilder();
      String family = "";
      for (Sample sample : samples) {
        if (!sample.name().equals(family)) {
          family = sample.name();
          text.append("# TYPE ").append(family).append(" gauge\n");
        }
        text.append(sample.line(sample.time().getEpochSecond()));
      }
      return text.append("# EOF\n").toString();
    }

    /** The Prometheus text format, timestamps in milliseconds (no families needed). */
    static String prometheusText(List<Sample> samples) {
      StringBuilder text = new StringBuilder();
      samples.forEach(sample -> text.append(sample.line(sample.time().toEpochMilli())));
      return text.toString();
    }

    private String line(long timestamp) {
      return series() + " " + value + " " + timestamp + "\n";
    }

    String series() {
      return name + "{" + labels + "}";
    }
  }

  private static String edge(String from, String fromIp, String to, String toIp, int port) {
    return String.format(
        Locale.ROOT,
        "local_hostgroup=\"%s\",remote_hostgroup=\"%s\",local_address=\"%s\",remote_address=\"%s\","
            + "port=\"%d\",protocol=\"tcp\",process_name=\"%s\"",
        from,
        to,
        fromIp,
        toIp,
        port,
        from + "d");
  }

  private static String host(String group, String ip) {
    return "local_hostgroup=\""
        + group
        + "\",hostname=\""
        + group
        + "1\",domain=\"\",ip=\""
        + ip
        + "\"";
  }

  /** The two windows, family by family (OpenMetrics wants each family's samples together). */
  private List<Sample> history() {
    String webApi = edge("web", "198.18.0.1", "api", "198.18.0.2", 8080);
    String apiDb = edge("api", "198.18.0.2", "db", "198.18.0.3", 5432);
    String apiCache = edge("api", "198.18.0.2", "cache", "198.18.0.4", 6379);
    List<Sample> samples = new ArrayList<>();
    gauge(samples, "planet_upstream", webApi, before, after);
    // A day before, for the new-dependency rules: they compare with at least a day of history.
    for (Instant t = after.minus(Duration.ofDays(1)).minus(DAY_BEFORE);
        !t.isAfter(after.minus(Duration.ofDays(1)));
        t = t.plusSeconds(60)) {
      samples.add(new Sample("planet_upstream", webApi, 1, t));
    }
    gauge(samples, "planet_upstream", apiDb, before);
    gauge(samples, "planet_upstream", apiCache, after);
    counter(samples, webApi + ",direction=\"egress\"", before, 1000);
    counter(samples, webApi + ",direction=\"egress\"", after, 5000);
    gauge(samples, "planet_hostname", host("web", "198.18.0.1"), before, after);
    gauge(samples, "planet_hostname", host("api", "198.18.0.2"), before, after);
    gauge(samples, "planet_hostname", host("db", "198.18.0.3"), before);
    gauge(samples, "planet_hostname", host("cache", "198.18.0.4"), after);
    // OpenMetrics: one family's series together, each series' samples in time order.
    samples.sort(
        java.util.Comparator.comparing(Sample::name)
            .thenComparing(Sample::labels)
            .thenComparing(Sample::time));
    return samples;
  }

  private static void gauge(List<Sample> samples, String name, String labels, Instant... ends) {
    for (Instant end : ends) {
      for (Instant t = end.minus(WINDOW); !t.isAfter(end); t = t.plusSeconds(60)) {
        samples.add(new Sample(name, labels, 1, t));
      }
    }
  }

  private void counter(List<Sample> samples, String labels, Instant end, double rate) {
    Instant start = end.minus(WINDOW);
    for (Instant t = start; !t.isAfter(end); t = t.plusSeconds(60)) {
      double value = 1e6 + rate * Duration.between(start, t).toSeconds();
      samples.add(new Sample("planet_upstream_bytes_total", labels, value, t));
    }
  }

  private JsonNode get(Engine engine, String path) throws Exception {
    HttpResponse<String> response = maps.get(engine).get(path);
    assertThat(response.statusCode())
        .as(engine + " " + path + ": " + response.body())
        .isEqualTo(200);
    return json.readTree(response.body());
  }

  private static List<String> ids(JsonNode items) {
    return new ArrayList<>(new TreeSet<>(items.findValuesAsText("id")));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void drawsTheGraphOfEachTimeExactly(Engine engine) throws Exception {
    JsonNode then = get(engine, "/api/graph?range=" + RANGE + "&at=" + before.getEpochSecond());
    JsonNode later = get(engine, "/api/graph?range=" + RANGE + "&at=" + after);
    JsonNode now = get(engine, "/api/graph?range=" + RANGE);

    assertThat(ids(then.path("edges"))).containsExactly("api->db:5432/tcp", "web->api:8080/tcp");
    assertThat(ids(then.path("nodes"))).containsExactly("api", "db", "web");
    assertThat(ids(later.path("edges")))
        .containsExactly("api->cache:6379/tcp", "web->api:8080/tcp");
    assertThat(ids(later.path("nodes"))).containsExactly("api", "cache", "web");
    // Nothing was seen in the last half hour.
    assertThat(now.path("edges").size()).isZero();
    assertThat(egress(then, "web->api:8080/tcp")).isCloseTo(1000, within(20.0));
    assertThat(egress(later, "web->api:8080/tcp")).isCloseTo(5000, within(100.0));
  }

  private static double egress(JsonNode graph, String id) {
    for (JsonNode edge : graph.path("edges")) {
      if (edge.path("id").asText().equals(id)) {
        return edge.path("egress_bps").asDouble(Double.NaN);
      }
    }
    throw new AssertionError("no edge " + id + " in " + graph);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void diffsBothWays(Engine engine) throws Exception {
    String times = "&from=" + before + "&to=" + after.getEpochSecond();
    JsonNode forward = get(engine, "/api/diff?range=" + RANGE + times);
    JsonNode backward =
        get(engine, "/api/diff?range=" + RANGE + "&from=" + after + "&to=" + before);

    assertThat(ids(forward.path("added"))).containsExactly("api->cache:6379/tcp");
    assertThat(ids(forward.path("removed"))).containsExactly("api->db:5432/tcp");
    assertThat(ids(forward.path("changed"))).containsExactly("web->api:8080/tcp");
    JsonNode changed = forward.path("changed").path(0);
    assertThat(changed.path("before_bps").asDouble()).isCloseTo(1000, within(20.0));
    assertThat(changed.path("after_bps").asDouble()).isCloseTo(5000, within(100.0));
    assertThat(forward.path("nodes").toString())
        .isEqualTo(
            "[{\"id\":\"api\",\"title\":\"api\",\"status\":\"kept\"},"
                + "{\"id\":\"cache\",\"title\":\"cache\",\"status\":\"added\"},"
                + "{\"id\":\"db\",\"title\":\"db\",\"status\":\"removed\"},"
                + "{\"id\":\"web\",\"title\":\"web\",\"status\":\"kept\"}]");
    assertThat(ids(backward.path("added"))).containsExactly("api->db:5432/tcp");
    assertThat(ids(backward.path("removed"))).containsExactly("api->cache:6379/tcp");
    assertThat(ids(backward.path("changed"))).containsExactly("web->api:8080/tcp");
    // Around a hostgroup: web's neighbourhood did not change but for the bytes.
    JsonNode aroundWeb = get(engine, "/api/diff?range=" + RANGE + times + "&hostgroup=web");
    assertThat(aroundWeb.path("added").size() + aroundWeb.path("removed").size()).isZero();
    assertThat(ids(aroundWeb.path("changed"))).containsExactly("web->api:8080/tcp");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theCommandPrintsTheChangesAndExitsAsDiff(Engine engine) {
    String url = engines.get(engine).toString();

    ExporterProcess.Result changes =
        diff(
            "-prometheus-url",
            url,
            "-from",
            before.toString(),
            "-to",
            after.toString(),
            "-range",
            RANGE);
    ExporterProcess.Result same =
        diff(
            "-prometheus-url",
            url,
            "-from",
            before.toString(),
            "-to",
            before.toString(),
            "-range",
            RANGE);
    ExporterProcess.Result bad = diff("-prometheus-url", url, "-from", "yesterday");

    assertThat(changes.exitCode()).as(changes.stderr()).isEqualTo(1);
    assertThat(changes.stdout().lines())
        .hasSize(5)
        .startsWith("+ api -> cache 6379/tcp", "- api -> db 5432/tcp")
        .endsWith("+ node cache", "- node db");
    assertThat(changes.stdout().lines().toList().get(2))
        .isEqualTo("~ web -> api 8080/tcp 1.0 kB/s -> 5.0 kB/s");
    assertThat(same.exitCode()).as(same.stderr()).isZero();
    assertThat(same.stdout()).isEmpty();
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.stderr()).startsWith("planet-map diff: -from: want RFC 3339");
  }

  private static ExporterProcess.Result diff(String... args) {
    return ExporterProcess.builder()
        .program("planet-map")
        .subcommand("diff")
        .args(args)
        .timeout(Duration.ofSeconds(30))
        .run();
  }

  /**
   * vmalert replays the new-dependency rules over the history in VictoriaMetrics: {@code api ->
   * cache} is new in the later window, {@code web -> api}, there a day before, is not. (The same
   * rules under Prometheus's engine: RulesIT's promtool tests.) Each recording rule is replayed on
   * its own, in the files' order, with a flush between: a rule that reads another's series over
   * past data must find them all written, which a delay between rules of one replay only makes
   * likely (it failed under load). This vmalert writes no {@code ALERTS} series when replaying: the
   * alerts are {@code hostgroup:planet_edge:new} as it is.
   */
  @Test
  void vmalertFindsTheNewDependencyInTheHistory() throws Exception {
    Path rules = Distribution.shared().resolve("rules");
    Path temp = Files.createTempDirectory("planet-vmalert-");
    try {
      Instant from = after.minus(Duration.ofDays(1)).minus(DAY_BEFORE);
      List<String> replayed = new ArrayList<>();
      // The one rule of planet.rules.yml the new-dependency rules read, then all of theirs.
      List<String> files =
          new ArrayList<>(
              recordingRules(Files.readString(rules.resolve("planet.rules.yml"))).stream()
                  .filter(rule -> rule.contains("record: hostgroup:planet_upstream:count\n"))
                  .toList());
      files.addAll(recordingRules(Files.readString(rules.resolve("planet-changes.rules.yml"))));
      for (String file : files) {
        Path one = temp.resolve("rule-" + replayed.size() + ".yml");
        Files.writeString(one, file);
        victoria.replay(one, from, after, Duration.ZERO);
        replayed.add(file.substring(file.indexOf("record: ")).lines().findFirst().orElseThrow());
      }
      assertThat(replayed)
          .containsExactly(
              "record: hostgroup:planet_upstream:count",
              "record: hostgroup:planet_edge:present_max1h",
              "record: hostgroup:planet_edge:seen_7d",
              "record: hostgroup:planet_edge:present",
              "record: hostgroup:planet_edge:new");

      JsonNode fresh =
          victoria.query("hostgroup:planet_edge:new", after.minus(10, ChronoUnit.MINUTES));
      assertThat(fresh.findValuesAsText("remote_node")).containsExactly("cache");
      assertThat(fresh.path(0).path("metric").path("local_node").asText()).isEqualTo("api");
      assertThat(fresh.path(0).path("metric").path("port").asText()).isEqualTo("6379");
      // The edges seen then, the persisting one among them.
      assertThat(
              victoria
                  .query("hostgroup:planet_edge:present", after.minus(10, ChronoUnit.MINUTES))
                  .findValuesAsText("remote_node"))
          .containsExactlyInAnyOrder("api", "cache");
    } finally {
      deleteTree(temp);
    }
  }

  /**
   * The recording rules of a rules file, each as a rules file of its own: its group's name and
   * interval, then the rule as the file writes it (the shipped files' layout: groups at two spaces,
   * rules at six).
   */
  private static List<String> recordingRules(String text) {
    List<String> files = new ArrayList<>();
    String group = "";
    StringBuilder rule = null;
    for (String line : text.split("\n")) {
      boolean ruleStart = line.startsWith("      - record: ") || line.startsWith("      - alert: ");
      if (line.startsWith("  - name: ") || ruleStart) {
        if (rule != null) {
          files.add(rule.toString());
          rule = null;
        }
      }
      if (line.startsWith("  - name: ")) {
        group = line + "\n";
      } else if (line.startsWith("    interval: ") || line.equals("    rules:")) {
        group += line + "\n";
      } else if (line.startsWith("      - record: ")) {
        rule = new StringBuilder("groups:\n").append(group).append(line).append('\n');
      } else if (rule != null && line.startsWith("        ")) {
        rule.append(line).append('\n');
      }
    }
    if (rule != null) {
      files.add(rule.toString());
    }
    return files;
  }

  @Test
  void theDiffPageDrawsTheChangesInChromium() throws Exception {
    assumeTrue(
        Files.isExecutable(HeadlessChromium.BINARY),
        "needs Debian's chromium (apt-get install chromium)");
    Path temp = Files.createTempDirectory("planet-diff-page-");
    try (HeadlessChromium chromium = HeadlessChromium.start(temp)) {
      chromium.navigate(
          maps.get(Engine.PROMETHEUS)
              .uri("/diff?range=" + RANGE + "&from=" + before + "&to=" + after));
      chromium.awaitTrue(
          "document.getElementById('map').dataset.drawn === 'true'", Duration.ofSeconds(30));

      assertThat(
              chromium.evaluate("JSON.stringify(document.getElementById('map').dataset)").asText())
          .contains("\"added\":\"1\"", "\"removed\":\"1\"", "\"changed\":\"1\"", "\"nodes\":\"4\"");
      assertThat(chromium.evaluate("document.querySelectorAll('#map canvas').length").asInt())
          .isEqualTo(1);
      assertThat(
              chromium.evaluate("document.querySelector('#added tbody tr').dataset.edge").asText())
          .isEqualTo("api->cache:6379/tcp");
      assertThat(
              chromium
                  .evaluate("document.querySelector('#removed tbody tr').dataset.edge")
                  .asText())
          .isEqualTo("api->db:5432/tcp");
      assertThat(chromium.evaluate("document.querySelector('#legend').textContent").asText())
          .contains("added", "removed");
      // The drawing's colours: some pixels green (added), some red (removed).
      String colours =
          """
          (() => {
            const canvas = document.querySelector('#map canvas');
            const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let green = 0, red = 0;
            for (let i = 0; i < d.length; i += 4) {
              if (d[i] === 0x1a && d[i + 1] === 0x7f && d[i + 2] === 0x37) green++;
              if (d[i] === 0xcf && d[i + 1] === 0x22 && d[i + 2] === 0x2e) red++;
            }
            return green > 0 && red > 0;
          })()
          """;
      assertThat(chromium.evaluate(colours).asBoolean()).isTrue();
      assertThat(chromium.exceptions()).isEmpty();
    } finally {
      deleteTree(temp);
    }
  }
}
