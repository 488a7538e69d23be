package io.planetexporter.dist;

import static io.planetexporter.dist.MapAnswers.edges;
import static io.planetexporter.dist.MapAnswers.ids;
import static io.planetexporter.dist.MapAnswers.rulesEverySecond;
import static io.planetexporter.dist.MapAnswers.texts;
import static io.planetexporter.dist.SocketHelpers.bridgedNamespaces;
import static io.planetexporter.dist.SocketHelpers.deleteTree;
import static io.planetexporter.dist.SocketHelpers.isRoot;
import static io.planetexporter.dist.SocketHelpers.runQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.planetexporter.task.socketstat.runtime.RuntimeStateTree;
import io.planetexporter.testfixtures.ExporterProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A host's containers mapped by workload with no inventory at all: three network namespaces on a
 * bridge, each a "container" whose process sits in a cgroup named as its runtime names it (joined
 * before entering the namespace): {@code web} as Docker's systemd driver names a Compose service's
 * container, {@code checkout} as containerd's CRI plugin names a Kubernetes pod's, {@code cache} as
 * Docker names a plain container's. Their state is written as each runtime writes it into
 * directories given to one exporter in the root namespace (every namespace read). {@code web}
 * connects to {@code checkout}:8080, {@code checkout} to {@code cache}:6379. A real Prometheus
 * scrapes the exporter; planet-map from the tarball names the nodes {@code shop/web}, {@code
 * shop/checkout} and {@code cache}, from the raw series and then from the recorded ones, and the
 * namespace filter {@code shop/*} draws shop's workloads and their neighbours.
 *
 * <p>The exporter reads every namespace of this machine, so the map holds whatever else runs here
 * too: the test looks only at its own nodes and edges. Namespaces, bridge and cgroups are removed
 * afterwards; only the processes this test started are moved into them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkloadMapIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final ObjectMapper json = new ObjectMapper();

  /** The test's edges, by id, with the processes of both ends. */
  private static final Map<String, List<String>> EDGES =
      new TreeMap<>(
          Map.of(
              "shop/web->shop/checkout:8080/tcp", List.of("pw-checkout", "pw-web"),
              "shop/checkout->cache:6379/tcp", List.of("pw-cache", "pw-checkout")));

  private final Random random = new Random();
  private final String suffix = String.format("%06x", random.nextInt(1 << 24));
  private final int subnet = 1 + random.nextInt(250);
  private final String bridge = "pwb" + suffix;
  private final String bridgeIp = "198.18." + subnet + ".1";

  /** Namespace -> its address. */
  private final Map<String, String> namespaces = new LinkedHashMap<>();

  private Path temp;
  private Path cgroupTop;
  private SocketHelpers helpers;
  private boolean created;
  private ExporterProcess exporter;
  private PrometheusServer prometheus;
  private ExporterProcess map;

  private String ns(String name) {
    return "pw-" + name + "-" + suffix;
  }

  private String containerId() {
    byte[] id = new byte[32];
    random.nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  @BeforeAll
  void startTheContainers() throws Exception {
    assumeTrue(isRoot(), "needs root for network namespaces and cgroups");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")), "needs iproute2's ip");
    Path hierarchy = TestCgroups.hierarchy();
    assumeTrue(hierarchy != null, "needs a writable cgroup v2 or name=systemd hierarchy");
    temp = Files.createTempDirectory("planet-workload-map-");
    helpers = new SocketHelpers(temp);
    namespaces.put(ns("web"), "198.18." + subnet + ".2");
    namespaces.put(ns("checkout"), "198.18." + subnet + ".3");
    namespaces.put(ns("cache"), "198.18." + subnet + ".4");
    created = true;
    bridgedNamespaces(bridge, bridgeIp, namespaces, "pw" + suffix);

    String web = containerId();
    String checkout = containerId();
    String cache = containerId();
    RuntimeStateTree state = new RuntimeStateTree(temp.resolve("state"));
    state.dockerCompose(web, "shop", "web");
    state.containerd(checkout, "shop", "checkout-7d9f8b6c5d-x2x4k");
    state.docker(cache, "cache");

    cgroupTop = hierarchy.resolve("planet-it-" + suffix);
    Path webScope =
        Files.createDirectories(cgroupTop.resolve("system.slice/docker-" + web + ".scope"));
    Path checkoutScope =
        Files.createDirectories(
            cgroupTop.resolve(
                "kubepods.slice/kubepods-burstable.slice/"
                    + "kubepods-burstable-pod1f0c6b6e_42a7_4f3e_9c1b_0c5d2e6f7a8b.slice/"
                    + "cri-containerd-"
                    + checkout
                    + ".scope"));
    Path cacheScope =
        Files.createDirectories(cgroupTop.resolve("system.slice/docker-" + cache + ".scope"));
    Process cacheProcess = helpers.start(TestCgroups.inCgroup(cacheScope, ns("cache")), "pw-cache");
    Process checkoutProcess =
        helpers.start(TestCgroups.inCgroup(checkoutScope, ns("checkout")), "pw-checkout");
    Process webProcess = helpers.start(TestCgroups.inCgroup(webScope, ns("web")), "pw-web");
    command(cacheProcess, "listen tcp 0.0.0.0 6379");
    command(checkoutProcess, "listen tcp 0.0.0.0 8080");
    command(checkoutProcess, "connect tcp " + namespaces.get(ns("cache")) + " 6379");
    command(webProcess, "connect tcp " + namespaces.get(ns("checkout")) + " 8080");

    exporter =
        ExporterProcess.start(
            "-task-socketstat-interval",
            "1s",
            "-task-socketstat-docker-root",
            state.roots().docker().toString(),
            "-task-socketstat-containerd-state",
            state.roots().containerdState().toString(),
            "-task-socketstat-crio-root",
            state.roots().crio().toString());
    prometheus = PrometheusServer.start(exporter.target());
    prometheus.awaitTargetsUp(PATIENCE);
    map =
        ExporterProcess.builder()
            .program("planet-map")
            .args("-prometheus-url", prometheus.uri().toString(), "-query-timeout", "20s")
            .start();
  }

  @AfterAll
  void stopTheContainers() throws Exception {
    for (AutoCloseable process : new AutoCloseable[] {map, prometheus, exporter}) {
      if (process != null) {
        process.close();
      }
    }
    if (helpers != null) {
      helpers.stopAll();
    }
    if (created) {
      for (String ns : namespaces.keySet()) {
        runQuietly("ip", "netns", "del", ns);
      }
      runQuietly("ip", "link", "del", bridge);
    }
    if (cgroupTop != null) {
      TestCgroups.remove(cgroupTop);
    }
    if (temp != null) {
      deleteTree(temp);
    }
  }

  @Test
  @Order(1)
  void theExporterSaysWhoOwnsEachContainersAddress() {
    String text =
        exporter.awaitScrape(
            t -> t.contains("address=\"" + namespaces.get(ns("cache")) + "\""), PATIENCE);

    assertThat(text)
        .containsPattern(
            "planet_address_info\\{address=\""
                + namespaces.get(ns("checkout")).replace(".", "\\.")
                + "\",container=\"[0-9a-f]{12}\",hostname=\"[^\"]+\",unit=\"\","
                + "workload=\"shop/checkout\"\\} 1\\.0")
        .contains("workload=\"shop/web\"")
        .contains("workload=\"cache\"");
  }

  @Test
  @Order(2)
  void namesNodesByWorkloadFromTheRawSeries() throws Exception {
    JsonNode graph = awaitEdges("/api/graph?range=5m", false);

    assertThat(ours(graph)).isEqualTo(EDGES);
    assertThat(ids(graph.path("nodes"))).contains("cache", "shop/checkout", "shop/web");
    assertThat(graph.path("recorded_series")).isEmpty();
  }

  @Test
  @Order(3)
  void aWorkloadNamespaceIsItsWorkloadsAndTheirNeighbours() throws Exception {
    JsonNode graph = awaitEdges("/api/graph?range=5m&hostgroup=shop/*&depth=1", false);

    assertThat(ids(graph.path("nodes"))).containsExactly("cache", "shop/checkout", "shop/web");
    assertThat(edges(graph)).isEqualTo(EDGES);
  }

  @Test
  @Order(4)
  void namesNodesByWorkloadFromTheRecordedSeries() throws Exception {
    prometheus.loadRules(rulesEverySecond(temp), PATIENCE);

    JsonNode graph = awaitEdges("/api/graph?range=5m", true);

    assertThat(texts(graph.path("recorded_series")))
        .contains("hostgroup:planet_upstream:count", "hostgroup:planet_downstream:count");
    assertThat(ours(graph)).isEqualTo(EDGES);
    JsonNode shop = awaitEdges("/api/graph?range=5m&hostgroup=shop/*&depth=1", true);
    assertThat(ids(shop.path("nodes"))).containsExactly("cache", "shop/checkout", "shop/web");
  }

  /** Asks until the test's edges are all there (from recorded series if asked), or gives up. */
  private JsonNode awaitEdges(String path, boolean recorded) throws Exception {
    JsonNode graph = null;
    Instant deadline = Instant.now().plus(PATIENCE);
    while (Instant.now().isBefore(deadline)) {
      graph = json.readTree(map.get(path).body());
      if (ours(graph).equals(EDGES) && graph.path("recorded_series").isEmpty() != recorded) {
        return graph;
      }
      Thread.sleep(1000);
    }
    return graph;
  }

  /** The graph's edges that touch the test's nodes. */
  private static Map<String, List<String>> ours(JsonNode graph) {
    Map<String, List<String>> ours = new TreeMap<>();
    edges(graph)
        .forEach(
            (id, processes) -> {
              if (id.contains("shop/") || id.contains("cache")) {
                ours.put(id, processes);
              }
            });
    return ours;
  }

  private void command(Process helper, String line) throws IOException {
    assertThat(helpers.command(helper, line)).as(line).isEqualTo("ok");
  }
}
