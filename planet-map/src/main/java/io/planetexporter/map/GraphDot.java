package io.planetexporter.map;

import io.planetexporter.map.Graph.Edge;
import io.planetexporter.map.Graph.Node;

/** The graph in Graphviz's DOT language: one node per node, one labelled arrow per edge. */
final class GraphDot {

  private GraphDot() {}

  static String write(Graph graph) {
    StringBuilder dot = new StringBuilder("digraph planet {\n  rankdir=LR;\n  node [shape=box];\n");
    for (Node node : graph.nodes()) {
      dot.append("  ")
          .append(quote(node.id()))
          .append(" [label=")
          .append(
              quote(
                  node.id()
                      + "\n"
                      + node.hosts()
                      + (node.hosts() == 1 ? " host" : " hosts")
                      + "\nin "
                      + GraphJson.rate(node.inBps())
                      + ", out "
                      + GraphJson.rate(node.outBps())))
          .append("];\n");
    }
    for (Edge edge : graph.edges()) {
      String label = edge.port() + "/" + edge.protocol();
      if (GraphJson.total(edge).isPresent()) {
        label += "\n" + GraphJson.rate(GraphJson.total(edge));
      }
      dot.append("  ")
          .append(quote(edge.source()))
          .append(" -> ")
          .append(quote(edge.target()))
          .append(" [label=")
          .append(quote(label))
          .append("];\n");
    }
    return dot.append("}\n").toString();
  }

  /** A DOT double-quoted ID; a newline becomes DOT's centred line break. */
  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
