package io.planetexporter.task.socketstat;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;

/**
 * One {@code planet_server_process} series: its label values.
 *
 * @param container the container of the process, or empty
 * @param unit the systemd unit of the process, or empty
 */
record Server(
    String localHostgroup,
    String bind,
    String processName,
    int port,
    Protocol protocol,
    String container,
    String unit) {

  /** Label order, port numerically. */
  static final Comparator<Server> ORDER =
      Comparator.comparing(Server::localHostgroup)
          .thenComparing(Server::bind)
          .thenComparing(Server::processName)
          .thenComparingInt(Server::port)
          .thenComparing(Server::protocol)
          .thenComparing(Server::container)
          .thenComparing(Server::unit);

  Server {
    requireNonNull(localHostgroup, "localHostgroup");
    requireNonNull(bind, "bind");
    requireNonNull(processName, "processName");
    requireNonNull(protocol, "protocol");
    requireNonNull(container, "container");
    requireNonNull(unit, "unit");
  }
}
