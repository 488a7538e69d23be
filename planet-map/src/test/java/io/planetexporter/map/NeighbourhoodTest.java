package io.planetexporter.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.map.Graph.Edge;
import io.planetexporter.map.Graph.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class NeighbourhoodTest {

  /** lb -> web -> api -> db, batch -> api, web -> cache. */
  private final Graph graph = graph("lb->web", "web->api", "api->db", "batch->api", "web->cache");

  private static Graph graph(String... edges) {
    List<Edge> list = new ArrayList<>();
    TreeSet<String> ids = new TreeSet<>();
    for (String e : edges) {
      String[] ends = e.split("->");
      list.add(
          new Edge(
              ends[0],
              ends[1],
              "80",
              "tcp",
              List.of(),
              OptionalDouble.empty(),
              OptionalDouble.empty(),
              ""));
      ids.add(ends[0]);
      ids.add(ends[1]);
    }
    return new Graph(
        ids.stream()
            .map(id -> new Node(id, 1, OptionalDouble.empty(), OptionalDouble.empty()))
            .toList(),
        list);
  }

  private static List<String> edgeIds(Graph graph) {
    return graph.edges().stream().map(e -> e.source() + "->" + e.target()).sorted().toList();
  }

  @Test
  void depthOneIsWhatTheNodeDependsOnAndWhatDependsOnIt() {
    Graph around = Neighbourhood.of(graph, "api", 1);

    assertThat(around.nodes()).extracting(Node::id).containsExactly("api", "batch", "db", "web");
    assertThat(edgeIds(around)).containsExactly("api->db", "batch->api", "web->api");
  }

  @Test
  void directionsAreNotMixedSoSiblingsStayOut() {
    // web's other dependency (cache) is not api's neighbour at any depth.
    Graph around = Neighbourhood.of(graph, "api", 3);

    assertThat(around.nodes()).extracting(Node::id).doesNotContain("cache");
    assertThat(edgeIds(around)).containsExactly("api->db", "batch->api", "lb->web", "web->api");
  }

  @Test
  void depthTwoFollowsTwoEdgesEachWay() {
    Graph around = Neighbourhood.of(graph, "web", 2);

    assertThat(around.nodes())
        .extracting(Node::id)
        .containsExactly("api", "cache", "db", "lb", "web");
  }

  @Test
  void aWorkloadNamespaceIsAllItsNodesAndTheirNeighbours() {
    Graph shop =
        graph(
            "ingress/nginx->shop/web",
            "shop/web->shop/checkout",
            "shop/checkout->billing/db",
            "billing/db->backup/agent",
            "shopping/web->shop/checkout");

    Graph around = Neighbourhood.of(shop, "shop/*", 1);

    assertThat(around.nodes())
        .extracting(Node::id)
        .containsExactly(
            "billing/db", "ingress/nginx", "shop/checkout", "shop/web", "shopping/web");
    assertThat(edgeIds(around)).doesNotContain("billing/db->backup/agent").hasSize(4);
  }
}
