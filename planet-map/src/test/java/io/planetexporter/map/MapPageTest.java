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

      String page = MapPage.render(Request.parse("hostgroup=%3C!--%3Cscript%3E"), answer);

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
      assertThat(page.split("<script", -1)).hasSize(4);
      assertThat(page.split("<tr data-node=", -1)).hasSize(nodes.size() + 1);
      assertThat(page.split("<tr data-edge=", -1)).hasSize(edges.size() + 1);
      assertThat(page).endsWith("<script src=\"/static/map.js\"></script>\n</body>\n</html>\n");
    }

    private static Node node(String id) {
      return new Node(id, 1, OptionalDouble.empty(), OptionalDouble.empty());
    }
  }
}
