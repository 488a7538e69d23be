package io.planetexporter.map;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.planetexporter.testfixtures.TestHttpClient;
import io.planetexporter.web.WebFront;
import io.planetexporter.web.WebSecurity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MapServerTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final ObjectMapper json = new ObjectMapper();

  private final TestHttpClient http = TestHttpClient.create();
  private FakePrometheus prometheus;
  private MapServer server;

  @BeforeEach
  void start() throws IOException {
    prometheus =
        new FakePrometheus()
            .answer(
                "hostgroup:planet_upstream:count",
                "local_node=web remote_node=api port=8080 protocol=tcp process_name=nginx -> 2",
                "local_node=api remote_node=db port=5432 protocol=tcp process_name=java -> 1")
            .answer(
                "hostgroup:planet_downstream:count",
                "local_node=web remote_node=prometheus port=19100 protocol=tcp process_name=java -> 1")
            .answer(
                "hostgroup:planet_upstream_bytes:rate5m",
                "local_node=web remote_node=api port=8080 protocol=tcp direction=egress -> 1500",
                "local_node=web remote_node=api port=8080 protocol=tcp direction=ingress -> 2500000")
            .answer("hostgroup:planet_hosts:count", "local_node=web -> 2", "local_node=api -> 1");
    server = serve(prometheus.uri());
  }

  private MapServer serve(URI prometheusUrl) throws IOException {
    return MapServer.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        FakePrometheus.graphs(prometheusUrl, TIMEOUT),
        WebSecurity.NONE,
        WebFront.CONNECTIONS_PER_ADDRESS);
  }

  @AfterEach
  void stop() {
    server.close();
    prometheus.close();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.get(TestHttpClient.local(server.address().getPort(), path));
  }

  @Nested
  class Graph {

    @Test
    void servesNodesAndEdgesWithGrafanasNodeGraphFields() throws Exception {
      HttpResponse<String> response = get("/api/graph?range=1h");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
      JsonNode graph = json.readTree(response.body());
      assertThat(graph.path("nodes").toString())
          .isEqualTo(
              """
              [{"id":"api","title":"api","subtitle":"1 host","mainstat":"in 1.5 kB/s","secondarystat":"out 2.5 MB/s","hosts":1,"in_bps":1500.0,"out_bps":2500000.0},\
              {"id":"db","title":"db","subtitle":"1 host","mainstat":"in n/a","secondarystat":"out n/a","hosts":1},\
              {"id":"prometheus","title":"prometheus","subtitle":"1 host","mainstat":"in n/a","secondarystat":"out n/a","hosts":1},\
              {"id":"web","title":"web","subtitle":"2 hosts","mainstat":"in 2.5 MB/s","secondarystat":"out 1.5 kB/s","hosts":2,"in_bps":2500000.0,"out_bps":1500.0}]""");
      assertThat(graph.path("edges").toString())
          .isEqualTo(
              """
              [{"id":"api->db:5432/tcp","source":"api","target":"db","port":"5432","protocol":"tcp","processes":["java"],"mainstat":"5432/tcp"},\
              {"id":"prometheus->web:19100/tcp","source":"prometheus","target":"web","port":"19100","protocol":"tcp","processes":["java"],"mainstat":"19100/tcp"},\
              {"id":"web->api:8080/tcp","source":"web","target":"api","port":"8080","protocol":"tcp","processes":["nginx"],"egress_bps":1500.0,"ingress_bps":2500000.0,"mainstat":"2.5 MB/s","bytes_from":"socketstat"}]""");
      assertThat(graph.path("recorded_series").toString())
          .contains("hostgroup:planet_upstream:count");
    }

    @Test
    void servesTheWholeFleetOverTheKeptRangeFromTheBackgroundGraphWithItsAge() throws Exception {
      try (FleetGraph fleet =
              FleetGraph.start(
                  FakePrometheus.graphs(prometheus.uri(), TIMEOUT),
                  Duration.ofHours(1),
                  Duration.ofHours(1),
                  TIMEOUT);
          MapServer kept =
              MapServer.start(
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                  FakePrometheus.graphs(prometheus.uri(), TIMEOUT),
                  Optional.of(fleet),
                  WebSecurity.NONE,
                  WebFront.CONNECTIONS_PER_ADDRESS)) {
        long before = System.currentTimeMillis() / 1000;
        fleet.current();
        int asked = prometheus.queries().size();

        HttpResponse<String> whole =
            http.get(TestHttpClient.local(kept.address().getPort(), "/api/graph"));
        HttpResponse<String> other =
            http.get(TestHttpClient.local(kept.address().getPort(), "/api/graph?range=2h"));

        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Age"))
            .hasValueSatisfying(age -> assertThat(Long.parseLong(age)).isBetween(0L, 5L));
        JsonNode graph = json.readTree(whole.body());
        assertThat(graph.path("computed_at").asLong()).isBetween(before - 1, before + 5);
        assertThat(graph.has("refresh_error")).isFalse();
        assertThat(graph.path("edges").findValuesAsText("id")).hasSize(3);
        // The kept range took nothing from Prometheus; another range was asked at the request.
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(json.readTree(other.body()).path("edges").findValuesAsText("id")).hasSize(3);
        assertThat(prometheus.queries().size()).isGreaterThan(asked);
        // The refresh's speculative queries of kinds with no recorded series are cancelled, not
        // awaited, so they may reach the fake after it: only queries of served kinds are checked.
        assertThat(prometheus.queries().subList(asked, prometheus.queries().size()))
            .filteredOn(prometheus::answers)
            .isNotEmpty()
            .allMatch(q -> q.contains("[7200s]"));
      }
    }

    @Test
    void servesTheNeighbourhoodOfOneHostgroup() throws Exception {
      JsonNode graph = json.readTree(get("/api/graph?hostgroup=api&depth=1").body());

      assertThat(graph.path("nodes").findValuesAsText("id")).containsExactly("api", "db", "web");
      assertThat(graph.path("edges").findValuesAsText("id"))
          .containsExactly("api->db:5432/tcp", "web->api:8080/tcp");
      // Only the edges around api were asked for (the nodes' host counts are a few recorded
      // series per node, asked for the whole fleet at once).
      assertThat(prometheus.queries())
          .filteredOn(q -> !q.contains("planet_hosts") && !q.contains("planet_remote_addresses"))
          .isNotEmpty()
          .allMatch(q -> q.contains("=~"));
    }

    @Test
    void countsTheBytesOfAnEdgeSeenAtTwoStepsOnce() throws Exception {
      // depth 2 asks for the edges of api, then of web and db: web->api is in both answers.
      JsonNode graph = json.readTree(get("/api/graph?hostgroup=api&depth=2").body());

      JsonNode edge = graph.path("edges").get(graph.path("edges").size() - 1);
      assertThat(edge.path("id").asText()).isEqualTo("web->api:8080/tcp");
      assertThat(edge.path("egress_bps").asDouble()).isEqualTo(1500);
      assertThat(edge.path("ingress_bps").asDouble()).isEqualTo(2500000);
    }

    @Test
    void servesAnEdgesBytesOverTimeFromRangeQueries() throws Exception {
      HttpResponse<String> response =
          get("/api/edge?source=web&target=api&port=8080&protocol=tcp&range=2h");

      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode history = json.readTree(response.body());
      assertThat(history.path("id").asText()).isEqualTo("web->api:8080/tcp");
      assertThat(history.path("step").asText()).isEqualTo("1m0s");
      assertThat(history.path("points").findValuesAsText("time"))
          .containsExactly("1.7E9", "1.70000006E9");
      assertThat(history.path("points").findValues("egress_bps"))
          .extracting(JsonNode::asDouble)
          .containsExactly(1500.0, 1500.0);
      assertThat(history.path("points").findValues("ingress_bps"))
          .extracting(JsonNode::asDouble)
          .containsExactly(2500000.0, 2500000.0);
      assertThat(prometheus.queries())
          .contains(
              "hostgroup:planet_upstream_bytes:rate5m{local_node=~\"api|web\"}"
                  + " or hostgroup:planet_upstream_bytes:rate5m{remote_node=~\"api|web\"}");
    }

    @Test
    void anEdgeNeedsItsFourParts() throws Exception {
      HttpResponse<String> response = get("/api/edge?source=web&target=api&port=8080");

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).contains("protocol: required");
    }

    @Test
    void saysWhereTheTimeWent() throws Exception {
      HttpResponse<String> response = get("/api/graph");

      assertThat(response.headers().firstValue("Server-Timing").orElseThrow())
          .matches("prometheus;dur=[0-9.]+, build;dur=[0-9.]+, write;dur=[0-9.]+");
    }

    @Test
    void drawsTheRangeEndingAtTheTimeAsked() throws Exception {
      HttpResponse<String> response = get("/api/graph?range=2h&at=2023-11-14T22:13:20Z");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(prometheus.queries()).allMatch(q -> q.contains("[7200s]"));
      assertThat(Set.copyOf(prometheus.times()))
          .containsExactlyInAnyOrder(
              "names start=1699992800.000&end=1700000000.000", "time=1700000000.000");
    }

    @Test
    void refusesATimeInTheFutureNamingTheParameter() throws Exception {
      HttpResponse<String> response =
          get("/api/graph?at=" + (Instant.now().getEpochSecond() + 600));

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(json.readTree(response.body()).path("error").asText())
          .startsWith("at: ")
          .contains("is in the future");
      assertThat(prometheus.queries()).isEmpty();
    }

    @Test
    void anUnknownHostgroupIsNotFound() throws Exception {
      HttpResponse<String> response = get("/api/graph?hostgroup=nope");

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(json.readTree(response.body()).path("error").asText())
          .isEqualTo("no node \"nope\" in the map of the last 1h0m0s");
    }

    @Test
    void aBadParameterIsABadRequest() throws Exception {
      HttpResponse<String> response = get("/api/graph?depth=99");

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).contains("depth: want a whole number from 1 to 10");
    }

    @Test
    void servesDotForGraphviz() throws Exception {
      HttpResponse<String> response = get("/api/graph.dot");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .startsWith("digraph planet {")
          .contains("\"web\" -> \"api\" [label=\"8080/tcp\\n2.5 MB/s\"];")
          .contains("\"prometheus\" -> \"web\" [label=\"19100/tcp\"];")
          .contains("\"web\" [label=\"web\\n2 hosts\\nin 2.5 MB/s, out 1.5 kB/s\"];");
    }
  }

  @Nested
  class Page {

    @Test
    void holdsTheGraphAsTablesAndAsJsonForTheDrawing() throws Exception {
      HttpResponse<String> response = get("/");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .contains("<table id=\"nodes\">", "<table id=\"edges\">")
          .contains("<tr data-edge=\"web-&gt;api:8080/tcp\"><td>web</td><td>api</td><td>8080</td>")
          .contains("<script type=\"application/json\" id=\"graph\">{\"nodes\":")
          .contains("<script src=\"/static/map.js\">");
    }

    @Test
    void servesVisNetworkFromItsWebJarAndItsOwnScript() throws Exception {
      HttpResponse<String> library = get("/webjars/vis-network/standalone/umd/vis-network.min.js");
      HttpResponse<String> script = get("/static/map.js");

      assertThat(library.statusCode()).isEqualTo(200);
      assertThat(library.body()).contains("vis-network").hasSizeGreaterThan(100_000);
      assertThat(script.statusCode()).isEqualTo(200);
      assertThat(script.body()).contains("canvas.getContext(\"2d\")");
      // The front refuses a path that climbs out of the root, plain or encoded, before routing.
      assertThat(get("/webjars/vis-network/../../../../../etc/passwd").statusCode()).isEqualTo(400);
      assertThat(get("/webjars/vis-network/%2e%2e/%2e%2e/%2e%2e/etc/passwd").statusCode())
          .isEqualTo(400);
    }

    @Test
    void escapesWhatPrometheusSays() throws Exception {
      prometheus.answer(
          "hostgroup:planet_upstream:count",
          "local_node=<script>alert(1)</script> remote_node=api port=80 protocol=tcp process_name=x -> 1");

      String page = get("/").body();

      assertThat(page)
          .doesNotContain("<script>alert(1)</script>")
          .contains("&lt;script&gt;alert(1)");
    }
  }

  @Nested
  class Diff {

    @Test
    void answersTheDiffOfTwoTimesAsJsonAndAsAPage() throws Exception {
      HttpResponse<String> api = get("/api/diff?from=1700000000&to=1700003600&range=30m");
      HttpResponse<String> page = get("/diff?from=1700000000&to=1700003600&range=30m");

      assertThat(api.statusCode()).isEqualTo(200);
      JsonNode diff = json.readTree(api.body());
      // The fake answers the same at both times: nothing changed.
      assertThat(diff.path("added").size() + diff.path("removed").size()).isZero();
      assertThat(diff.path("to").asText()).isEqualTo("2023-11-14T23:13:20Z");
      assertThat(prometheus.times()).contains("time=1700000000.000", "time=1700003600.000");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body())
          .contains("<table id=\"added\">", "<script src=\"/static/diff.js\">", "id=\"legend\"");
      assertThat(get("/static/diff.js").statusCode()).isEqualTo(200);
      assertThat(get("/static/diff.css").statusCode()).isEqualTo(200);
    }

    @Test
    void aMissingOrBadTimeIsABadRequestNamingIt() throws Exception {
      HttpResponse<String> missing = get("/api/diff?range=1h");
      HttpResponse<String> bad = get("/diff?from=soon");

      assertThat(missing.statusCode()).isEqualTo(400);
      assertThat(json.readTree(missing.body()).path("error").asText()).isEqualTo("from: required");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("role=\"alert\">from: want RFC 3339");
      assertThat(prometheus.queries()).isEmpty();
    }
  }

  @Nested
  class Failures {

    @Test
    void anUnreachablePrometheusIsABadGatewayWithAClearError() throws Exception {
      // Bound but not listening: connects are refused, and no other socket (the map's own server
      // among them) can take the port while the test runs, as it could once a socket was closed.
      HttpResponse<String> api;
      HttpResponse<String> page;
      int closedPort;
      try (Socket holder = new Socket()) {
        holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        closedPort = holder.getLocalPort();
        server.close();
        server = serve(URI.create("http://127.0.0.1:" + closedPort));

        api = get("/api/graph");
        page = get("/");
      }

      assertThat(api.statusCode()).isEqualTo(502);
      assertThat(json.readTree(api.body()).path("error").asText())
          .isEqualTo(
              "Prometheus at http://127.0.0.1:"
                  + closedPort
                  + " is unreachable (connection refused)");
      assertThat(page.statusCode()).isEqualTo(502);
      assertThat(page.body())
          .contains("<p id=\"error\" role=\"alert\">Prometheus at http://127.0.0.1:" + closedPort);
    }

    @Test
    void aSlowPrometheusIsABadGatewayAtTheQueryTimeoutNotAHang() throws Exception {
      prometheus.delay(Duration.ofSeconds(20));

      long start = System.nanoTime();
      HttpResponse<String> response = get("/api/graph");
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(response.statusCode()).isEqualTo(502);
      assertThat(json.readTree(response.body()).path("error").asText())
          .contains("did not answer within", "2s");
      // The deadline is 2s; the fake would answer after 20s.
      assertThat(took).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
      assertThat(get("/nope").statusCode()).isEqualTo(404);
      HttpResponse<String> post =
          http.send(
              http.request(TestHttpClient.local(server.address().getPort(), "/api/graph"))
                  .POST(HttpRequest.BodyPublishers.noBody()),
              BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
    }
  }
}
