package io.planetexporter.dist;

import static io.planetexporter.dist.SocketHelpers.deleteTree;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.planetexporter.testfixtures.ExporterProcess;
import io.planetexporter.testfixtures.TestHttpServer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The map's page in a real browser when labels are hostile: any user on a monitored host names a
 * process, and whoever names a hostgroup names a node. A real Prometheus scrapes a page of {@code
 * planet_upstream} series whose {@code process_name} and {@code remote_hostgroup} labels are HTML
 * and script; planet-map from the tarball asks it; headless Chromium opens the page over DevTools,
 * which reports every dialog ({@code alert(1)}) and uncaught exception.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MapPageIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final ObjectMapper json = new ObjectMapper();

  /** Hostgroups that are nodes of the map, each served by web on a port of its own. */
  private static final List<String> NODES =
      List.of(
          "<!--<script>", "</script><script>alert(1)</script>", "\"'><img src=x onerror=alert(1)>");

  /** Process names of web's connections to db, beside the nodes' names (also process names). */
  private static final List<String> PROCESSES =
      List.of(
          "x".repeat(10_240),
          // Not "-->": it would close a comment an earlier label opened, and heal the page.
          "<script>alert(2)</script>",
          "<![CDATA[ & &amp; ]]>",
          "\\<\\/script> \\u003c",
          "line\u2028separator\u2029paragraph",
          "quote\" backslash\\ newline\n end");

  private final List<String> allNodes = new ArrayList<>();
  private Path temp;
  private TestHttpServer exporter;
  private PrometheusServer prometheus;
  private ExporterProcess map;
  private HeadlessChromium chromium;

  @BeforeAll
  void startTheMap() throws Exception {
    HeadlessChromium.assumeInstalled();
    allNodes.add("web");
    allNodes.addAll(NODES);
    allNodes.add("db");
    StringBuilder page = new StringBuilder("# TYPE planet_upstream gauge\n");
    int port = 8000;
    for (String node : NODES) {
      page.append(series(node, port++, node));
    }
    for (String process : PROCESSES) {
      page.append(series("db", port++, process));
    }
    page.append("# TYPE planet_hostname gauge\nplanet_hostname{local_hostgroup=\"web\"} 1\n");
    exporter = TestHttpServer.start();
    exporter.respond(200, page.toString());
    prometheus = PrometheusServer.start(exporter.uri("").getAuthority());
    prometheus.awaitTargetsUp(PATIENCE);
    map =
        ExporterProcess.builder()
            .program("planet-map")
            .args("-prometheus-url", prometheus.uri().toString(), "-query-timeout", "5s")
            .start();
    awaitAllNodes();
  }

  @AfterAll
  void stopTheMap() throws Exception {
    for (AutoCloseable closeable : new AutoCloseable[] {map, prometheus, exporter}) {
      if (closeable != null) {
        closeable.close();
      }
    }
  }

  @BeforeEach
  void openTheBrowser() throws Exception {
    temp = Files.createTempDirectory("planet-map-page-");
    chromium = HeadlessChromium.start(temp);
  }

  @AfterEach
  void closeTheBrowser() throws Exception {
    if (chromium != null) {
      chromium.close();
    }
    deleteTree(temp);
  }

  /** Without this, the absence of dialogs below would prove nothing. */
  @Test
  void theBrowserReportsTheDialogsOfAnInjectedScript() {
    String html = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    chromium.navigate(
        URI.create("data:text/html," + URLEncoder.encode(html, UTF_8).replace("+", "%20")));

    assertThat(chromium.dialogs()).containsExactly("1", "2");
  }

  @Test
  void drawsEveryNodeAndRunsNoInjectedScript() throws Exception {
    chromium.navigate(map.uri("/?range=5m&hostgroup=web"));
    // A label that ends or comments out the embedded graph takes the rest of the page with it.
    assertThat(chromium.evaluate("document.querySelectorAll('table').length").asInt())
        .as("the tables after the embedded graph")
        .isEqualTo(2);
    chromium.awaitTrue("document.getElementById('map').dataset.drawn === 'true'", PATIENCE);

    assertThat(chromium.evaluate("document.getElementById('map').dataset.nodes").asText())
        .isEqualTo(Integer.toString(allNodes.size()));
    assertThat(chromium.evaluate("document.querySelectorAll('#map canvas').length").asInt())
        .isEqualTo(1);
    // The graph as the page's script read it: every label as it was.
    JsonNode graph =
        json.readTree(
            chromium
                .evaluate("JSON.stringify(JSON.parse(document.getElementById('graph').text))")
                .asText());
    assertThat(graph.path("nodes").findValuesAsText("id"))
        .containsExactlyInAnyOrderElementsOf(allNodes);
    List<String> processes = new ArrayList<>();
    graph
        .path("edges")
        .forEach(edge -> edge.path("processes").forEach(p -> processes.add(p.asText())));
    assertThat(processes).containsExactlyInAnyOrderElementsOf(allProcesses());
    assertThat(chromium.texts("#node-ids option", "value"))
        .containsExactlyInAnyOrderElementsOf(allNodes);
    // The tables, as text.
    assertThat(chromium.texts("#nodes tbody th", "textContent"))
        .containsExactlyInAnyOrderElementsOf(allNodes);
    assertThat(chromium.texts("#edges tbody td:nth-child(5)", "textContent"))
        .containsExactlyInAnyOrderElementsOf(allProcesses());
    // The page's own two scripts (the graph's JSON, map.js), no image, nothing run that the
    // labels hold.
    assertThat(chromium.evaluate("document.scripts.length").asInt()).isEqualTo(2);
    assertThat(chromium.evaluate("document.images.length").asInt()).isZero();
    assertThat(chromium.dialogs()).isEmpty();
    assertThat(chromium.exceptions()).isEmpty();
  }

  @Test
  void showsAClickedNodesProcessesAsText() throws Exception {
    chromium.navigate(map.uri("/?range=5m&hostgroup=web"));
    chromium.awaitTrue("document.getElementById('map').dataset.drawn === 'true'", PATIENCE);
    // The focused node is the one drawn in #ffd27f: click the middle of its pixels.
    double[] middle = chromium.pixel("#map canvas", 0xffd27f, true).orElseThrow();

    chromium.click(middle[0], middle[1]);

    chromium.awaitTrue("document.querySelector('#details dl') !== null", PATIENCE);
    List<String> terms = chromium.texts("#details dt", "textContent");
    List<String> values = chromium.texts("#details dd", "textContent");
    assertThat(values.get(terms.indexOf("Node"))).isEqualTo("web");
    assertThat(values.get(terms.indexOf("Processes")))
        .isEqualTo(String.join(", ", new TreeSet<>(allProcesses())));
    assertThat(chromium.evaluate("document.querySelectorAll('#details dl *').length").asInt())
        .isEqualTo(terms.size() + values.size());
    assertThat(chromium.evaluate("document.images.length").asInt()).isZero();
    assertThat(chromium.dialogs()).isEmpty();
    assertThat(chromium.exceptions()).isEmpty();
  }

  private List<String> allProcesses() {
    List<String> all = new ArrayList<>(NODES);
    all.addAll(PROCESSES);
    return all;
  }

  /** A {@code planet_upstream} line from web to {@code node}, escaped as the text format wants. */
  private static String series(String node, int port, String process) {
    return "planet_upstream{local_hostgroup=\"web\",remote_hostgroup=\"%s\",port=\"%d\",protocol=\"tcp\",process_name=\"%s\"} 1\n"
        .formatted(label(node), port, label(process));
  }

  private static String label(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private void awaitAllNodes() throws Exception {
    Instant deadline = Instant.now().plus(PATIENCE);
    while (true) {
      JsonNode graph = json.readTree(map.get("/api/graph?range=5m").body());
      if (graph.path("nodes").size() == allNodes.size()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("the map did not draw " + allNodes.size() + " nodes: " + graph);
      }
      Thread.sleep(500);
    }
  }
}
