package io.planetexporter.map;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.planetexporter.map.Graph.Edge;
import io.planetexporter.map.Graph.Node;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class GraphDiffTest {

  private static final ObjectMapper json = new ObjectMapper();

  private static Node node(String id) {
    return new Node(id, 1, OptionalDouble.empty(), OptionalDouble.empty());
  }

  private static Edge edge(String source, String target, String port) {
    return new Edge(
        source, target, port, "tcp", List.of(), OptionalDouble.empty(), OptionalDouble.empty(), "");
  }

  /** An edge with socketstat's bytes/s: egress and ingress. */
  private static Edge edge(String source, String target, String port, double out, double in) {
    return new Edge(
        source,
        target,
        port,
        "tcp",
        List.of("java"),
        OptionalDouble.of(out),
        OptionalDouble.of(in),
        "socketstat");
  }

  private static final Graph BEFORE =
      new Graph(
          List.of(node("api"), node("db"), node("web")),
          List.of(
              edge("api", "db", "5432"),
              edge("web", "api", "8080", 1000, 3000),
              edge("web", "api", "9090", 1000, 1000)));
  private static final Graph AFTER =
      new Graph(
          List.of(node("api"), node("cache"), node("web")),
          List.of(
              edge("api", "cache", "6379"),
              edge("web", "api", "8080", 4000, 4001),
              edge("web", "api", "9090", 1500, 2500)));

  @Nested
  class Changes {

    @Test
    void findsAddedRemovedAndChangedEdgesAndTheirNodes() {
      GraphDiff diff = GraphDiff.of(BEFORE, AFTER);

      assertThat(diff.added()).extracting(Edge::id).containsExactly("api->cache:6379/tcp");
      assertThat(diff.removed()).extracting(Edge::id).containsExactly("api->db:5432/tcp");
      // 4 kB/s -> 8.001 kB/s moved by more than x2; 2 kB/s -> 4 kB/s by exactly x2, not more.
      assertThat(diff.changed())
          .containsExactly(new GraphDiff.Change(AFTER.edges().get(1), 4000, 8001));
      assertThat(diff.nodes())
          .containsExactly(
              new GraphDiff.NodeChange("api", GraphDiff.Status.KEPT),
              new GraphDiff.NodeChange("cache", GraphDiff.Status.ADDED),
              new GraphDiff.NodeChange("db", GraphDiff.Status.REMOVED),
              new GraphDiff.NodeChange("web", GraphDiff.Status.KEPT));
      assertThat(diff.isEmpty()).isFalse();
    }

    @Test
    void theOtherWayRoundSwapsAddedAndRemoved() {
      GraphDiff diff = GraphDiff.of(AFTER, BEFORE);

      assertThat(diff.added()).extracting(Edge::id).containsExactly("api->db:5432/tcp");
      assertThat(diff.removed()).extracting(Edge::id).containsExactly("api->cache:6379/tcp");
      assertThat(diff.changed())
          .containsExactly(new GraphDiff.Change(BEFORE.edges().get(1), 8001, 4000));
    }

    @Test
    void aGraphAgainstItselfIsNoChange() {
      assertThat(GraphDiff.of(AFTER, AFTER).isEmpty()).isTrue();
      assertThat(GraphDiff.of(AFTER, AFTER).nodes()).isEmpty();
    }

    @Test
    void trafficFromNothingIsAChangeButNoByteDataIsNone() {
      Graph idle = new Graph(List.of(), List.of(edge("a", "b", "1", 0, 0), edge("a", "b", "2")));
      Graph busy =
          new Graph(List.of(), List.of(edge("a", "b", "1", 1, 0), edge("a", "b", "2", 9, 9)));

      assertThat(GraphDiff.of(idle, busy).changed())
          .extracting(c -> c.edge().id())
          .containsExactly("a->b:1/tcp");
    }

    @Test
    void aNodeWithoutEdgesThatAppearsIsAChange() {
      Graph alone = new Graph(List.of(node("lonely")), List.of());

      GraphDiff diff = GraphDiff.of(new Graph(List.of(), List.of()), alone);

      assertThat(diff.nodes())
          .containsExactly(new GraphDiff.NodeChange("lonely", GraphDiff.Status.ADDED));
      assertThat(diff.isEmpty()).isFalse();
    }
  }

  @Nested
  class Writing {

    private final DiffRequest request =
        new DiffRequest(
            new Request(java.time.Duration.ofMinutes(30), Optional.empty(), 1, Optional.empty()),
            Instant.parse("2026-12-05T10:00:00Z"),
            Instant.parse("2026-12-06T10:00:00Z"));

    @Test
    void printsOneLinePerChangeAsPlanetMapDiffDoes() {
      assertThat(DiffText.write(GraphDiff.of(BEFORE, AFTER)))
          .isEqualTo(
              """
              + api -> cache 6379/tcp
              - api -> db 5432/tcp
              ~ web -> api 8080/tcp 4.0 kB/s -> 8.0 kB/s
              + node cache
              - node db
              """);
    }

    @Test
    void writesJsonWithTheGraphsEdgeFieldsAndBothFigures() throws Exception {
      JsonNode diff = json.readTree(DiffJson.write(request, GraphDiff.of(BEFORE, AFTER)));

      assertThat(diff.path("from").asText()).isEqualTo("2026-12-05T10:00:00Z");
      assertThat(diff.path("to").asText()).isEqualTo("2026-12-06T10:00:00Z");
      assertThat(diff.path("range").asText()).isEqualTo("30m0s");
      assertThat(diff.path("factor").asDouble()).isEqualTo(2);
      assertThat(diff.path("nodes").toString())
          .isEqualTo(
              "[{\"id\":\"api\",\"title\":\"api\",\"status\":\"kept\"},"
                  + "{\"id\":\"cache\",\"title\":\"cache\",\"status\":\"added\"},"
                  + "{\"id\":\"db\",\"title\":\"db\",\"status\":\"removed\"},"
                  + "{\"id\":\"web\",\"title\":\"web\",\"status\":\"kept\"}]");
      assertThat(diff.path("added").toString())
          .isEqualTo(
              "[{\"id\":\"api->cache:6379/tcp\",\"source\":\"api\",\"target\":\"cache\","
                  + "\"port\":\"6379\",\"protocol\":\"tcp\",\"processes\":[],"
                  + "\"mainstat\":\"6379/tcp\"}]");
      assertThat(diff.path("removed").findValuesAsText("id")).containsExactly("api->db:5432/tcp");
      JsonNode changed = diff.path("changed").path(0);
      assertThat(changed.path("id").asText()).isEqualTo("web->api:8080/tcp");
      assertThat(changed.path("before_bps").asDouble()).isEqualTo(4000);
      assertThat(changed.path("after_bps").asDouble()).isEqualTo(8001);
      assertThat(changed.path("egress_bps").asDouble()).isEqualTo(4000);
    }

    @Test
    void thePageEmbedsTheDiffEscapedAndListsItInTables() throws Exception {
      String hostile = "</script><!--<script>";
      Graph after = new Graph(List.of(node(hostile)), List.of(edge("web", hostile, "80")));

      String page = DiffPage.render(request, GraphDiff.of(new Graph(List.of(), List.of()), after));

      String open = "<script type=\"application/json\" id=\"diff\">";
      int start = page.indexOf(open) + open.length();
      JsonNode embedded = json.readTree(page.substring(start, page.indexOf("</script", start)));
      assertThat(embedded.path("added").findValuesAsText("target")).containsExactly(hostile);
      assertThat(page).doesNotContain("<!--").contains("<table id=\"added\">");
      assertThat(page).contains("<td>&lt;/script&gt;&lt;!--&lt;script&gt;</td>");
      assertThat(page).contains("1 added, 0 removed, 0 changed by more than \u00d72");
    }
  }
}
