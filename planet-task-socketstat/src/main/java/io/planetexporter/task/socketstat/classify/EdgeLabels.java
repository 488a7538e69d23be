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
}
