package io.planetexporter.task.socketstat;

import io.planetexporter.api.Host;
import io.planetexporter.api.Inventory;
import io.planetexporter.net.IpAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Turns addresses into label values through one inventory, asking it once per address. */
final class Labeler {

  private static final Names LOCALHOST =
      new Names(Host.LOCALHOST.domain(), Host.LOCALHOST.hostgroup());

  private final IpAddress primaryIp;
  private final Inventory inventory;
  private final Map<IpAddress, Names> names = new HashMap<>();

  Labeler(IpAddress primaryIp, Inventory inventory) {
    this.primaryIp = primaryIp;
    this.inventory = inventory;
  }

  /** Names of a local address; loopback and wildcard addresses stand for the primary IP. */
  Names local(IpAddress address) {
    return lookup(address.isLoopback() || address.isWildcard() ? primaryIp : address);
  }

  /** Names of a peer; a loopback peer is always {@code localhost}. */
  Names remote(IpAddress address) {
    return address.isLoopback() ? LOCALHOST : lookup(address);
  }

  private Names lookup(IpAddress address) {
    return names.computeIfAbsent(
        address,
        ip -> {
          Optional<Host> host = inventory.lookup(ip.toInetAddress());
          String domain = host.map(Host::domain).orElse("");
          return new Names(
              domain.isEmpty() ? ip.toString() : domain, host.map(Host::hostgroup).orElse(""));
        });
  }

  /**
   * The labels of one address.
   *
   * @param address the inventory domain, else the IP
   * @param hostgroup the inventory hostgroup, else empty
   */
  record Names(String address, String hostgroup) {}
}
