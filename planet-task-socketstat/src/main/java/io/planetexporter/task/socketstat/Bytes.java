package io.planetexporter.task.socketstat;

/**
 * Payload bytes of one connection or edge, from this host's point of view.
 *
 * @param egress sent by this host
 * @param ingress received by this host
 */
record Bytes(long egress, long ingress) {

  static final Bytes ZERO = new Bytes(0, 0);

  Bytes {
    if (egress < 0 || ingress < 0) {
      throw new IllegalArgumentException("negative bytes: " + egress + ", " + ingress);
    }
  }

  Bytes plus(Bytes other) {
    return new Bytes(egress + other.egress, ingress + other.ingress);
  }

  /** What {@code this} has beyond {@code other}, never negative. */
  Bytes beyond(Bytes other) {
    return new Bytes(Math.max(0, egress - other.egress), Math.max(0, ingress - other.ingress));
  }

  /** The larger of each direction. */
  Bytes max(Bytes other) {
    return new Bytes(Math.max(egress, other.egress), Math.max(ingress, other.ingress));
  }
}
