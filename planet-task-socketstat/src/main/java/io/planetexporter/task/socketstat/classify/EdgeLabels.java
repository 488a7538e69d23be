package io.planetexporter.task.socketstat.classify;

import static java.util.Objects.requireNonNull;

import io.planetexporter.task.socketstat.table.Protocol;
import java.util.Comparator;

/**
 * One {@code planet_upstream} or {@code planet_downstream} series: its label values.
 *
 * @param container the container of the process, or empty
 * @param unit the systemd unit of the process, or empty
 * @param workload the workload of the process's container ({@code shop/checkout}), or empty
 */
public record EdgeLabels(
    String localHostgroup,
    String remoteHostgroup,
    String localAddress,
    String remoteAddress,
    int port,
    Protocol protocol,
    String processName,
    String container,
    String unit,
    String workload) {

  /** Label order, port numerically. */
  public static final Comparator<EdgeLabels> ORDER =
      Comparator.comparing(EdgeLabels::localHostgroup)
          .thenComparing(EdgeLabels::remoteHostgroup)
          .thenComparing(EdgeLabels::localAddress)
          .thenComparing(EdgeLabels::remoteAddress)
          .thenComparingInt(EdgeLabels::port)
          .thenComparing(EdgeLabels::protocol)
          .thenComparing(EdgeLabels::processName)
          .thenComparing(EdgeLabels::container)
          .thenComparing(EdgeLabels::unit)
          .thenComparing(EdgeLabels::workload);

  public EdgeLabels {
    requireNonNull(localHostgroup, "localHostgroup");
    requireNonNull(remoteHostgroup, "remoteHostgroup");
    requireNonNull(localAddress, "localAddress");
    requireNonNull(remoteAddress, "remoteAddress");
    requireNonNull(protocol, "protocol");
    requireNonNull(processName, "processName");
    requireNonNull(container, "container");
    requireNonNull(unit, "unit");
    requireNonNull(workload, "workload");
  }

  // equals and hashCode written out: a record's own go through method handles, which C1 (the
  // exporter's only compiler) does not inline; a collection hashes every edge several times.

  @Override
  public boolean equals(Object other) {
    return other instanceof EdgeLabels that
        && port == that.port
        && protocol == that.protocol
        && remoteAddress.equals(that.remoteAddress)
        && localAddress.equals(that.localAddress)
        && processName.equals(that.processName)
        && remoteHostgroup.equals(that.remoteHostgroup)
        && localHostgroup.equals(that.localHostgroup)
        && container.equals(that.container)
        && unit.equals(that.unit)
        && workload.equals(that.workload);
  }

  @Override
  public int hashCode() {
    int hash = localHostgroup.hashCode();
    hash = 31 * hash + remoteHostgroup.hashCode();
    hash = 31 * hash + localAddress.hashCode();
    hash = 31 * hash + remoteAddress.hashCode();
    hash = 31 * hash + port;
    hash = 31 * hash + protocol.ordinal();
    hash = 31 * hash + processName.hashCode();
    hash = 31 * hash + container.hashCode();
    hash = 31 * hash + unit.hashCode();
    return 31 * hash + workload.hashCode();
  }
}
