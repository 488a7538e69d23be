package io.planetexporter.map;

import io.planetexporter.map.Graph.Edge;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The part of a graph around one node, or the nodes of a workload namespace ({@code shop/*}, see
 * {@link NodeFilter}): what it depends on (following edges from source to target) and what depends
 * on it (from target to source), each up to {@code depth} edges away. Directions are not mixed, so
 * the other clients of a shared dependency are not pulled in.
 */
final class Neighbourhood {

  private Neighbourhood() {}

  static Graph of(Graph graph, String center, int depth) {
    Set<String> centers = new HashSet<>();
    for (Graph.Node node : graph.nodes()) {
      if (NodeFilter.matches(Set.of(center), node.id())) {
        centers.add(node.id());
      }
    }
    Set<String> nodes = new HashSet<>(centers);
    Set<Edge> edges = new LinkedHashSet<>();
    walk(graph.edges(), centers, depth, true, nodes, edges);
    walk(graph.edges(), centers, depth, false, nodes, edges);
    List<Graph.Node> kept = new ArrayList<>();
    for (Graph.Node node : graph.nodes()) {
      if (nodes.contains(node.id())) {
        kept.add(node);
      }
    }
    return new Graph(kept, graph.edges().stream().filter(edges::contains).toList());
  }

  private static void walk(
      List<Edge> all,
      Set<String> centers,
      int depth,
      boolean downward,
      Set<String> nodes,
      Set<Edge> edges) {
    Set<String> frontier = centers;
    Set<String> seen = new HashSet<>(frontier);
    for (int step = 0; step < depth && !frontier.isEmpty(); step++) {
      Set<String> next = new HashSet<>();
      for (Edge edge : all) {
        String from = downward ? edge.source() : edge.target();
        String to = downward ? edge.target() : edge.source();
        if (frontier.contains(from)) {
          edges.add(edge);
          if (seen.add(to)) {
            next.add(to);
          }
        }
      }
      nodes.addAll(next);
      frontier = next;
    }
  }
}
