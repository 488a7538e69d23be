package io.planetexporter.task.socketstat;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;

/**
 * One {@code planet_upstream} or {@code planet_downstream} series: its label values.
 *
 * @param container the container of the process, or empty
 * @param unit the systemd unit of the process, or empty
 */
record Peer(
    String localHostgroup,
    String remoteHostgroup,
    String localAddress,
    String remoteAddress,
    int port,
    Protocol protocol,
    String processName,
    String container,
    String unit) {

  /** Label order, port numerically. */
  static final Comparator<Peer> ORDER =
      Comparator.comparing(Peer::localHostgroup)
          .thenComparing(Peer::remoteHostgroup)
          .thenComparing(Peer::localAddress)
          .thenComparing(Peer::remoteAddress)
          .thenComparingInt(Peer::port)
          .thenComparing(Peer::protocol)
          .thenComparing(Peer::processName)
          .thenComparing(Peer::container)
          .thenComparing(Peer::unit);

  Peer {
    requireNonNull(localHostgroup, "localHostgroup");
    requireNonNull(remoteHostgroup, "remoteHostgroup");
    requireNonNull(localAddress, "localAddress");
    requireNonNull(remoteAddress, "remoteAddress");
    requireNonNull(protocol, "protocol");
    requireNonNull(processName, "processName");
    requireNonNull(container, "container");
    requireNonNull(unit, "unit");
  }
}
