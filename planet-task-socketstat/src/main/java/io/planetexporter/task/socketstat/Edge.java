package io.planetexporter.task.socketstat;

import static java.util.Objects.requireNonNull;

/**
 * One dependency series: its direction and labels. The byte counters of its connections add up
 * under it.
 */
record Edge(Direction direction, Peer peer) {

  Edge {
    requireNonNull(direction, "direction");
    requireNonNull(peer, "peer");
  }
}
