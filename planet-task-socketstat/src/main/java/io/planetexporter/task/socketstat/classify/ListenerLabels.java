package io.planetexporter.task.socketstat.classify;

import static java.util.Objects.requireNonNull;

import io.planetexporter.task.socketstat.table.Protocol;
import java.util.Comparator;

/**
 * One {@code planet_server_process} series: its label values.
 *
 * @param container the container of the process, or empty
 * @param unit the systemd unit of the process, or empty
 * @param workload the workload of the process's container ({@code shop/checkout}), or empty
 */
public record ListenerLabels(
    String localHostgroup,
    String bind,
    String processName,
    int port,
    Protocol protocol,
    String container,
    String unit,
    String workload) {

  /** Label order, port numerically. */
  public static final Comparator<ListenerLabels> ORDER =
      Comparator.comparing(ListenerLabels::localHostgroup)
          .thenComparing(ListenerLabels::bind)
          .thenComparing(ListenerLabels::processName)
          .thenComparingInt(ListenerLabels::port)
          .thenComparing(ListenerLabels::protocol)
          .thenComparing(ListenerLabels::container)
          .thenComparing(ListenerLabels::unit)
          .thenComparing(ListenerLabels::workload);

  public ListenerLabels {
    requireNonNull(localHostgroup, "localHostgroup");
    requireNonNull(bind, "bind");
    requireNonNull(processName, "processName");
    requireNonNull(protocol, "protocol");
    requireNonNull(container, "container");
    requireNonNull(unit, "unit");
    requireNonNull(workload, "workload");
  }
}
