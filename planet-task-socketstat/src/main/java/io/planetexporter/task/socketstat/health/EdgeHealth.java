package io.planetexporter.task.socketstat.health;

/**
 * The health of one edge: counters since the exporter started (live connections and closed ones,
 * never decreasing), and the round-trip times of its live connections at the last collection.
 *
 * @param retransmittedBytes payload this host sent again
 * @param refused connects refused ({@link ConnectFailure#REFUSED})
 * @param timeouts connects given up ({@link ConnectFailure#TIMEOUT})
 * @param otherFailures connects that failed otherwise ({@link ConnectFailure#OTHER})
 * @param rttMicrosSum the smoothed RTTs of the live connections with one, added up
 * @param rttConnections how many live connections have an RTT
 */
public record EdgeHealth(
    long retransmittedBytes,
    long refused,
    long timeouts,
    long otherFailures,
    long rttMicrosSum,
    long rttConnections) {

  public static final EdgeHealth NONE = new EdgeHealth(0, 0, 0, 0, 0, 0);

  public EdgeHealth {
    if (retransmittedBytes < 0
        || refused < 0
        || timeouts < 0
        || otherFailures < 0
        || rttMicrosSum < 0
        || rttConnections < 0) {
      throw new IllegalArgumentException("negative count in " + this);
    }
  }

  /** Both edges' as one (the edges folded into {@code other}): the mean RTT stays exact. */
  public EdgeHealth plus(EdgeHealth other) {
    return new EdgeHealth(
        retransmittedBytes + other.retransmittedBytes,
        refused + other.refused,
        timeouts + other.timeouts,
        otherFailures + other.otherFailures,
        rttMicrosSum + other.rttMicrosSum,
        rttConnections + other.rttConnections);
  }

  public long failures(ConnectFailure reason) {
    return switch (reason) {
      case REFUSED -> refused;
      case TIMEOUT -> timeouts;
      case OTHER -> otherFailures;
    };
  }

  /** Whether a live connection had an RTT: else the edge has no RTT series. */
  public boolean hasRtt() {
    return rttConnections > 0;
  }

  /** The mean smoothed RTT of the live connections, in seconds; only if {@link #hasRtt()}. */
  public double rttSeconds() {
    return rttMicrosSum / (double) rttConnections / 1e6;
  }
}
