package io.planetexporter.task.socketstat;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;

/** One {@code planet_upstream} or {@code planet_downstream} series: its label values. */
record Peer(
    String localHostgroup,
    String remoteHostgroup,
    String localAddress,
    String remoteAddress,
    int port,
    Protocol protocol,
    String processName) {

  /** Label order, port numerically. */
  static final Comparator<Peer> ORDER =
      Comparator.comparing(Peer::localHostgroup)
          .thenComparing(Peer::remoteHostgroup)
          .thenComparing(Peer::localAddress)
          .thenComparing(Peer::remoteAddress)
          .thenComparingInt(Peer::port)
          .thenComparing(Peer::protocol)
          .thenComparing(Peer::processName);

  Peer {
    requireNonNull(localHostgroup, "localHostgroup");
    requireNonNull(remoteHostgroup, "remoteHostgroup");
    requireNonNull(localAddress, "localAddress");
    requireNonNull(remoteAddress, "remoteAddress");
    requireNonNull(protocol, "protocol");
    requireNonNull(processName, "processName");
  }
}
