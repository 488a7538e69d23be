package io.planetexporter.task.socketstat.metrics;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;

/**
 * One {@code planet_address_info} series: an address of a network namespace this exporter read, and
 * who owns it now. The map names a peer by it when the inventory does not.
 *
 * @param address the IP
 * @param hostname this host's name
 * @param workload the workload of the namespace's container, empty for the host's own addresses
 * @param container the container's id label, or empty
 * @param unit the systemd unit of a namespace's process outside any container, or empty
 */
public record AddressOwner(
    String address, String hostname, String workload, String container, String unit) {

  /** Label order. */
  public static final Comparator<AddressOwner> ORDER =
      Comparator.comparing(AddressOwner::address)
          .thenComparing(AddressOwner::hostname)
          .thenComparing(AddressOwner::workload)
          .thenComparing(AddressOwner::container)
          .thenComparing(AddressOwner::unit);

  public AddressOwner {
    requireNonNull(address, "address");
    requireNonNull(hostname, "hostname");
    requireNonNull(workload, "workload");
    requireNonNull(container, "container");
    requireNonNull(unit, "unit");
  }
}
