package io.planetexporter.task.socketstat.bytes;

/**
 * Payload bytes of one connection or edge, from this host's point of view.
 *
 * @param egress sent by this host
 * @param ingress received by this host
 */
public record ByteCount(long egress, long ingress) {

  static final ByteCount ZERO = new ByteCount(0, 0);

  public ByteCount {
    if (egress < 0 || ingress < 0) {
      throw new IllegalArgumentException("negative bytes: " + egress + ", " + ingress);
    }
  }

  public ByteCount plus(ByteCount other) {
    return new ByteCount(egress + other.egress, ingress + other.ingress);
  }

  /** What {@code this} has beyond {@code other}, never negative. */
  ByteCount beyond(ByteCount other) {
    return new ByteCount(Math.max(0, egress - other.egress), Math.max(0, ingress - other.ingress));
  }

  /** The larger of each direction. */
  ByteCount max(ByteCount other) {
    return new ByteCount(Math.max(egress, other.egress), Math.max(ingress, other.ingress));
  }
}
