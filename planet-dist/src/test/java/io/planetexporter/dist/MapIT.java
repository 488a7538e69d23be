package io.planetexporter.dist;

import static io.planetexporter.dist.MapAnswers.edges;
import static io.planetexporter.dist.MapAnswers.ids;
import static io.planetexporter.dist.MapAnswers.rulesEverySecond;
import static io.planetexporter.dist.MapAnswers.texts;
import static io.planetexporter.dist.SocketHelpers.bridgedNamespaces;
import static io.planetexporter.dist.SocketHelpers.deleteTree;
import static io.planetexporter.dist.SocketHelpers.isRoot;
import static io.planetexporter.dist.SocketHelpers.runQuietly;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.planetexporter.testfixtures.ExporterProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * planet-map over a small real fleet: three network namespaces joined by a bridge, named {@code
 * web}, {@code api} and {@code db} by a file inventory that also names the bridge's own address
 * (where Prometheus scrapes from) {@code prometheus}; {@code web} holds a connection to {@code
 * api}:8080 and {@code api} one to {@code db}:5432; an exporter from the tarball runs in each; a
 * real Prometheus in the root namespace scrapes the three; planet-map from the tarball asks it.
 * Addresses in 198.18.0.0/15 only; the namespaces and the bridge are removed afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MapIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final ObjectMapper json = new ObjectMapper();
  private static final List<String> NODES = List.of("api", "db", "prometheus", "web");

  /** Edge id -> its processes, as the map must give them. */
  private static final Map<String, List<String>> EDGES =
      new TreeMap<>(
          Map.of(
              "web->api:8080/tcp", List.of("apiserver", "webapp"),
              "api->db:5432/tcp", List.of("apiserver", "postgres"),
              "prometheus->web:19100/tcp", List.of("java"),
              "prometheus->api:19100/tcp", List.of("java"),
              "prometheus->db:19100/tcp", List.of("java")));

  private final String suffix = String.format("%06x", new Random().nextInt(1 << 24));
  private final int subnet = 1 + new Random().nextInt(250);
  private final String bridge = "pmb" + suffix;
  private final String bridgeIp = "198.18." + subnet + ".1";

  /** Hostgroup -> its namespace's address. */
  private final Map<String, String> hosts = new LinkedHashMap<>();

  private SocketHelpers helpers;
  private final List<ExporterProcess> exporters = new ArrayList<>();
  private Path temp;
  private boolean created;
  private PrometheusServer prometheus;
  private ExporterProcess map;

  private String ns(String hostgroup) {
    return "pm-" + hostgroup + "-" + suffix;
  }

  @BeforeAll
  void startTheFleet() throws Exception {
    assumeTrue(isRoot(), "needs root for network namespaces");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")), "needs iproute2's ip");
    temp = Files.createTempDirectory("planet-map-");
    helpers = new SocketHelpers(temp);
    hosts.put("web", "198.18." + subnet + ".2");
    hosts.put("api", "198.18." + subnet + ".3");
    hosts.put("db", "198.18." + subnet + ".4");
    created = true;
    Map<String, String> namespaces = new LinkedHashMap<>();
    hosts.forEach((hostgroup, address) -> namespaces.put(ns(hostgroup), address));
    bridgedNamespaces(bridge, bridgeIp, namespaces, "pm" + suffix);
    Files.writeString(
        temp.resolve("inventory.json"),
        """
        [
          {"ip_address": "%s", "domain": "web.map.test", "hostgroup": "web"},
          {"ip_address": "%s", "domain": "api.map.test", "hostgroup": "api"},
          {"ip_address": "%s", "domain": "db.map.test", "hostgroup": "db"},
          {"ip_address": "%s", "domain": "prometheus.map.test", "hostgroup": "prometheus"}
        ]
        """
            .formatted(hosts.get("web"), hosts.get("api"), hosts.get("db"), bridgeIp));

    Process postgres = helper(ns("db"), "postgres");
    Process apiserver = helper(ns("api"), "apiserver");
    Process webapp = helper(ns("web"), "webapp");
    command(postgres, "listen tcp 0.0.0.0 5432");
    command(apiserver, "listen tcp 0.0.0.0 8080");
    command(apiserver, "connect tcp " + hosts.get("db") + " 5432");
    command(webapp, "connect tcp " + hosts.get("api") + " 8080");

    List<String> targets = new ArrayList<>();
    for (Map.Entry<String, String> host : hosts.entrySet()) {
      exporters.add(
          ExporterProcess.builder()
              .prefix("ip", "netns", "exec", ns(host.getKey()))
              .args(
                  "-listen-address",
                  host.getValue() + ":19100",
                  "-task-socketstat-interval",
                  "1s",
                  // Each namespace stands for a host of its own: only its own sockets.
                  "-task-socketstat-namespaces",
                  "own",
                  "-task-inventory-enabled",
                  "-task-inventory-addr",
                  temp.resolve("inventory.json").toString())
              .start());
      targets.add(host.getValue() + ":19100");
    }
    prometheus = PrometheusServer.start(targets.toArray(String[]::new));
    prometheus.awaitTargetsUp(PATIENCE);
    map =
        ExporterProcess.builder()
            .program("planet-map")
            .args(
                "-prometheus-url",
                prometheus.uri().toString(),
                "-query-timeout",
                "5s",
                // The whole fleet's map is the background graph; refreshed every second, it shows
                // what the tests wait for as soon as a live map would.
                "-fleet-graph-refresh-interval",
                "1s")
            .start();
  }

  @AfterAll
  void stopTheFleet() throws Exception {
    for (AutoCloseable process : new AutoCloseable[] {map, prometheus}) {
      if (process != null) {
        process.close();
      }
    }
    exporters.forEach(ExporterProcess::close);
    if (helpers != null) {
      helpers.stopAll();
    }
    if (created) {
      // Deleting a namespace deletes its veth end, and with it the peer on the bridge.
      for (String hostgroup : hosts.keySet()) {
        runQuietly("ip", "netns", "del", ns(hostgroup));
      }
      runQuietly("ip", "link", "del", bridge);
    }
    if (temp != null) {
      deleteTree(temp);
    }
  }

  @Test
  @Order(1)
  void drawsExactlyTheFleetFromTheRawSeries() throws Exception {
    JsonNode graph = awaitGraph("/api/graph?range=5m");

    assertThat(ids(graph.path("nodes"))).containsExactlyElementsOf(NODES);
    assertThat(edges(graph)).isEqualTo(EDGES);
    assertThat(graph.path("recorded_series")).isEmpty();
    for (JsonNode node : graph.path("nodes")) {
      assertThat(node.path("title").asText()).isEqualTo(node.path("id").asText());
      assertThat(node.path("subtitle").asText()).as(node.toString()).isEqualTo("1 host");
    }
  }

  @Test
  @Order(2)
  void drawsTheNeighbourhoodOfOneHostgroup() throws Exception {
    JsonNode graph = json.readTree(map.get("/api/graph?range=5m&hostgroup=api&depth=1").body());

    assertThat(ids(graph.path("nodes"))).containsExactly("api", "db", "prometheus", "web");
    assertThat(edges(graph).keySet())
        .containsExactly("api->db:5432/tcp", "prometheus->api:19100/tcp", "web->api:8080/tcp");
  }

  @Test
  @Order(2)
  void servesAnEdgesBytesOverTimeFromARangeQuery() throws Exception {
    // Prometheus's scrapes of db: known only from db's downstream byte counters, turned around.
    String path = "/api/edge?source=prometheus&target=db&port=19100&protocol=tcp&range=5m";
    JsonNode history = json.readTree(map.get(path).body());
    Instant deadline = Instant.now().plus(PATIENCE);
    // A step may have health figures (an RTT) before the byte counters have a rate.
    while (!lastHasBytes(history) && Instant.now().isBefore(deadline)) {
      Thread.sleep(1000);
      history = json.readTree(map.get(path).body());
    }

    assertThat(history.path("id").asText()).isEqualTo("prometheus->db:19100/tcp");
    assertThat(history.path("step").asText()).isEqualTo("1m0s");
    assertThat(history.path("points")).isNotEmpty();
    JsonNode last = history.path("points").get(history.path("points").size() - 1);
    assertThat(last.path("time").asDouble())
        .isCloseTo(Instant.now().getEpochSecond(), within(120.0));
    assertThat(last.path("bytes_from").asText()).isEqualTo("socketstat");
    // From Prometheus's point of view: it sends requests (egress) and receives the larger pages.
    assertThat(last.path("egress_bps").asDouble()).isPositive();
    assertThat(last.path("ingress_bps").asDouble())
        .isGreaterThan(last.path("egress_bps").asDouble());
  }

  private static boolean lastHasBytes(JsonNode history) {
    JsonNode points = history.path("points");
    // bytes_from is set from the first sample; a rate needs a second.
    return !points.isEmpty()
        && !points.get(points.size() - 1).path("bytes_from").asText().isEmpty()
        && points.get(points.size() - 1).path("egress_bps").asDouble() > 0;
  }

  @Test
  @Order(3)
  void servesTheGraphForGraphviz() {
    HttpResponse<String> dot = map.get("/api/graph.dot?range=5m");

    assertThat(dot.statusCode()).isEqualTo(200);
    // Each edge's label starts with its port; its bandwidth follows once byte counters have a rate.
    assertThat(dot.body())
        .contains("\"web\" -> \"api\" [label=\"8080/tcp")
        .contains("\"api\" -> \"db\" [label=\"5432/tcp")
        .contains("\"prometheus\" -> \"db\" [label=\"19100/tcp");
  }

  @Test
  @Order(4)
  void chromiumDrawsThePageWithItsTables() throws Exception {
    assumeTrue(
        Files.isExecutable(HeadlessChromium.BINARY),
        "needs Debian's chromium (apt-get install chromium)");
    String url = map.uri("/?range=5m").toString();

    String dom = chromium("--dump-dom", url);

    // The tables of the page's text, one row per node and per edge.
    for (String node : NODES) {
      assertThat(dom).contains("<tr data-node=\"" + node + "\">");
    }
    for (String edge : EDGES.keySet()) {
      assertThat(dom).contains("<tr data-edge=\"" + edge.replace(">", "&gt;") + "\">");
    }
    // The page's script drew on a canvas inside the map's element.
    assertThat(dom)
        .containsPattern("<div id=\"map\"[^>]* data-nodes=\"4\" data-edges=\"5\"")
        .containsPattern("<div id=\"map\"[^>]*><canvas");

    Path screenshot = Path.of("target", "planet-map.png").toAbsolutePath();
    Files.deleteIfExists(screenshot);
    chromium("--screenshot=" + screenshot, "--window-size=1000,760", url);
    byte[] png = Files.readAllBytes(screenshot);
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    assertThat(png.length).isGreaterThan(10_000);
  }

  @Test
  @Order(5)
  void drawsTheSameFleetFromTheRecordedSeriesOnceTheRulesAreLoaded() throws Exception {
    prometheus.loadRules(rulesEverySecond(temp), PATIENCE);

    JsonNode graph = null;
    Instant deadline = Instant.now().plus(PATIENCE);
    while (Instant.now().isBefore(deadline)) {
      graph = json.readTree(map.get("/api/graph?range=5m").body());
      if (graph.path("recorded_series").size() >= 4 && edges(graph).equals(EDGES)) {
        break;
      }
      Thread.sleep(1000);
    }
    assertThat(graph).isNotNull();
    assertThat(texts(graph.path("recorded_series")))
        .contains(
            "hostgroup:planet_upstream:count",
            "hostgroup:planet_downstream:count",
            "hostgroup:planet_hosts:count",
            "hostgroup:planet_remote_addresses:count");
    assertThat(ids(graph.path("nodes"))).containsExactlyElementsOf(NODES);
    assertThat(edges(graph)).isEqualTo(EDGES);
    JsonNode around = json.readTree(map.get("/api/graph?range=5m&hostgroup=db&depth=2").body());
    assertThat(around.path("recorded_series")).isNotEmpty();
    assertThat(edges(around).keySet())
        .containsExactly(
            "api->db:5432/tcp",
            "prometheus->api:19100/tcp",
            "prometheus->db:19100/tcp",
            "web->api:8080/tcp");
  }

  @Test
  @Order(6)
  void aStoppedPrometheusKeepsTheFleetsLastGraphAndIsABadGatewayForLiveMapsWithinTheTimeout()
      throws Exception {
    JsonNode good = json.readTree(map.get("/api/graph").body());
    prometheus.close();
    prometheus = null;

    // The background graph's next refreshes fail: the last good graph stays, saying why.
    HttpResponse<String> kept = map.get("/api/graph");
    Instant deadline = Instant.now().plus(PATIENCE);
    while (!json.readTree(kept.body()).has("refresh_error") && Instant.now().isBefore(deadline)) {
      Thread.sleep(500);
      kept = map.get("/api/graph");
    }
    long start = System.nanoTime();
    HttpResponse<String> api = map.get("/api/graph?range=5m");
    HttpResponse<String> page = map.get("/?range=5m");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(kept.statusCode()).isEqualTo(200);
    JsonNode keptGraph = json.readTree(kept.body());
    assertThat(keptGraph.path("refresh_error").asText()).contains("is unreachable");
    assertThat(edges(keptGraph)).isEqualTo(edges(good));
    assertThat(keptGraph.path("computed_at").asLong())
        .isGreaterThanOrEqualTo(good.path("computed_at").asLong())
        .isLessThanOrEqualTo(Instant.now().getEpochSecond());
    assertThat(kept.headers().firstValue("Age")).isPresent();

    assertThat(api.statusCode()).isEqualTo(502);
    assertThat(json.readTree(api.body()).path("error").asText()).contains("is unreachable");
    assertThat(page.statusCode()).isEqualTo(502);
    assertThat(page.body()).contains("role=\"alert\"", "is unreachable");
    assertThat(took).isLessThan(Duration.ofSeconds(10));
  }

  /** Asks the map until it gives exactly the expected nodes and edges, or patience runs out. */
  private JsonNode awaitGraph(String path) throws Exception {
    JsonNode graph = null;
    Instant deadline = Instant.now().plus(PATIENCE);
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> response = map.get(path);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      graph = json.readTree(response.body());
      if (ids(graph.path("nodes")).equals(NODES) && edges(graph).equals(EDGES)) {
        return graph;
      }
      Thread.sleep(1000);
    }
    return graph;
  }

  /**
   * Runs headless Chromium on {@code args} and returns its stdout. No name resolves but loopback's,
   * and background services are off, so the browser talks to the map only.
   */
  private String chromium(String... args) throws Exception {
    List<String> command = new ArrayList<>(HeadlessChromium.command(temp.resolve("chromium")));
    command.add("--virtual-time-budget=3000");
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).redirectError(temp.resolve("chromium.log").toFile()).start();
    String out = new String(process.getInputStream().readAllBytes(), UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("chromium did not end within 60s");
    }
    assertThat(process.exitValue())
        .as("chromium: " + Files.readString(temp.resolve("chromium.log")))
        .isZero();
    return out;
  }

  /** A {@link SocketHelper} JVM in the namespace whose {@code comm} is {@code name}. */
  private Process helper(String ns, String name) throws Exception {
    return helpers.start(List.of("ip", "netns", "exec", ns), name);
  }

  private void command(Process helper, String line) throws IOException {
    assertThat(helpers.command(helper, line)).as(line).isEqualTo("ok");
  }
}
