package io.planetexporter.map;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.planetexporter.map.Graph.Edge;
import io.planetexporter.map.Graph.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MapPageTest {

  private static final ObjectMapper json = new ObjectMapper();

  /** Label values a user on a monitored host can choose (a process name, a hostgroup). */
  private static final List<String> HOSTILE =
      List.of(
          "<!--<script>",
          "</script><script>alert(1)</script>",
          "\"'><img src=x onerror=alert(1)>",
          "<![CDATA[ ]]> & &amp; -->",
          "line\u2028separator\u2029paragraph",
          "\\<\\/script> \\u003c",
          "x".repeat(10_240));

  @Nested
  class ScriptText {

    @Test
    void writesEachCharacterThatCouldEndOrHideTheElementAsAJsonEscape() throws Exception {
      String text = MapPage.scriptText(json.writeValueAsString("a<b>c&d\u2028e\u2029f"));

      assertThat(text).isEqualTo("\"a\\u003cb\\u003ec\\u0026d\\u2028e\\u2029f\"");
    }

    @Test
    void givesAJsonParserTheOriginalStrings() throws Exception {
      String text = MapPage.scriptText(json.writeValueAsString(HOSTILE));

      assertThat(text).doesNotContain("<", ">", "&", "\u2028", "\u2029");
      assertThat(json.readValue(text, new TypeReference<List<String>>() {}))
          .containsExactlyElementsOf(HOSTILE);
    }

    @Test
    void leavesJsonWithoutThoseCharactersAsItIs() throws Exception {
      String plain = json.writeValueAsString(List.of("web", "api\\db", "caf\u00e9 \"1\"", 2.5));

      assertThat(MapPage.scriptText(plain)).isEqualTo(plain);
    }
  }

  @Nested
  class Page {

    @Test
    void embedsAGraphOfHostileLabelsWhole() throws Exception {
      List<Node> nodes = new ArrayList<>();
      List<Edge> edges = new ArrayList<>();
      nodes.add(node("web"));
      for (String label : HOSTILE) {
        nodes.add(node(label));
        edges.add(
            new Edge(
                "web",
                label,
                "80",
                "tcp",
                List.of(label),
                OptionalDouble.empty(),
                OptionalDouble.empty(),
                ""));
      }
      Graph graph = new Graph(nodes, edges);
      GraphService.Answer answer =
          new GraphService.Answer(graph, Set.of(), Duration.ZERO, Duration.ZERO);

      String page =
          MapPage.render(
              Request.parse("hostgroup=%3C!--%3Cscript%3E"), answer, GraphJson.write(answer));

      String open = "<script type=\"application/json\" id=\"graph\">";
      int start = page.indexOf(open) + open.length();
      // The element ends at the first "</script" after its start tag, whatever the JSON holds.
      String embedded = page.substring(start, page.indexOf("</script", start));
      JsonNode drawn = json.readTree(embedded);
      assertThat(drawn.path("nodes").findValuesAsText("id"))
          .containsExactlyElementsOf(nodes.stream().map(Node::id).toList());
      assertThat(drawn.path("edges").findValuesAsText("target")).containsExactlyElementsOf(HOSTILE);
      List<String> processes = new ArrayList<>();
      drawn.path("edges").forEach(e -> processes.add(e.path("processes").path(0).asText()));
      assertThat(processes).containsExactlyElementsOf(HOSTILE);
      // Nothing a label holds opens a comment or an element anywhere in the page: every "<!--",
      // "<script" and "<img" of the labels is escaped in the tables, the title and the form too.
      assertThat(page).doesNotContain("<!--", "<img", "<![CDATA[");
      assertThat(page.split("<script", -1)).hasSize(3);
      assertThat(page.split("<tr data-node=", -1)).hasSize(nodes.size() + 1);
      assertThat(page.split("<tr data-edge=", -1)).hasSize(edges.size() + 1);
      assertThat(page).endsWith("<script src=\"/static/map.js\"></script>\n</body>\n</html>\n");
    }

    @Test
    void writesTheFirstRowsOfALargeGraphAndSaysHowManyThereAre() throws Exception {
      List<Node> nodes = new ArrayList<>();
      List<Edge> edges = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        nodes.add(node(String.format("n%03d", i)));
        edges.add(
            new Edge(
                "n000",
                String.format("n%03d", i),
                "80",
                "tcp",
                List.of(),
                OptionalDouble.of(10),
                OptionalDouble.empty(),
                "socketstat",
                new Graph.Health(
                    OptionalDouble.of(0.5), OptionalDouble.of(0.025), OptionalDouble.of(0.0012))));
      }
      GraphService.Answer answer =
          new GraphService.Answer(new Graph(nodes, edges), Set.of(), Duration.ZERO, Duration.ZERO);

      String page = MapPage.render(Request.parse(null), answer, GraphJson.write(answer));

      assertThat(page.split("<tr data-node=", -1)).hasSize(MapPage.TABLE_ROWS + 1);
      assertThat(page.split("<tr data-edge=", -1)).hasSize(MapPage.TABLE_ROWS + 1);
      assertThat(page)
          .contains("<caption>Nodes: 150, the first 100 here")
          .contains("<caption>Edges (source connects to target): 150, the first 100 here")
          .contains("<td>10 B/s</td><td>n/a</td><td>0.500/s</td><td>2.50 %</td><td>1.2 ms</td>");
      // Every node is still in the embedded graph, for the script's pages.
      String open = "<script type=\"application/json\" id=\"graph\">";
      int start = page.indexOf(open) + open.length();
      JsonNode drawn = json.readTree(page.substring(start, page.indexOf("</script", start)));
      assertThat(drawn.path("nodes")).hasSize(150);
      assertThat(drawn.path("edges")).hasSize(150);
    }

    private static Node node(String id) {
      return new Node(id, 1, OptionalDouble.empty(), OptionalDouble.empty());
    }
  }
}
