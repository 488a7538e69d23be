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

  // Written out for the reason given in EdgeLabels.

  @Override
  public boolean equals(Object other) {
    return other instanceof Edge that && direction == that.direction && labels.equals(that.labels);
  }

  @Override
  public int hashCode() {
    return 31 * direction.ordinal() + labels.hashCode();
  }
}
