package io.planetexporter.task.socketstat.classify;

import static java.util.Objects.requireNonNull;

/**
 * One dependency series: its direction and labels. The byte counters of its connections add up
 * under it.
 */
public record Edge(Direction direction, EdgeLabels labels) {

  public Edge {
    requireNonNull(direction, "direction");
    requireNonNull(labels, "labels");
  }
}
