package io.planetexporter.map;

import io.planetexporter.map.Graph.Edge;
import java.util.OptionalDouble;

/**
 * A diff as lines of text, as {@code planet-map diff} prints it: {@code + api -> cache 6379/tcp}
 * for an added edge, {@code - api -> db 5432/tcp} for a removed one, {@code ~ web -> api 8080/tcp
 * 1.0 kB/s -> 3.0 kB/s} for one whose bandwidth moved, then {@code + node cache} and {@code - node
 * db} for nodes only in one of the two maps.
 */
final class DiffText {

  private DiffText() {}

  static String write(GraphDiff diff) {
    StringBuilder text = new StringBuilder();
    diff.added().forEach(edge -> line(text, "+ ", edge).append('\n'));
    diff.removed().forEach(edge -> line(text, "- ", edge).append('\n'));
    for (GraphDiff.Change change : diff.changed()) {
      line(text, "~ ", change.edge())
          .append(' ')
          .append(GraphJson.rate(OptionalDouble.of(change.beforeBps())))
          .append(" -> ")
          .append(GraphJson.rate(OptionalDouble.of(change.afterBps())))
          .append('\n');
    }
    for (GraphDiff.NodeChange node : diff.nodes()) {
      switch (node.status()) {
        case ADDED -> text.append("+ node ").append(node.id()).append('\n');
        case REMOVED -> text.append("- node ").append(node.id()).append('\n');
        case KEPT -> {}
      }
    }
    return text.toString();
  }

  private static StringBuilder line(StringBuilder text, String sign, Edge edge) {
    return text.append(sign)
        .append(edge.source())
        .append(" -> ")
        .append(edge.target())
        .append(' ')
        .append(edge.port())
        .append('/')
        .append(edge.protocol());
  }
}
