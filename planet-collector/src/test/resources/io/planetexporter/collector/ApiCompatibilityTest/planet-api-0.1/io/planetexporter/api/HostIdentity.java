package io.planetexporter.api;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.Set;

/**
 * Who this machine is: its name, the IP that labels its metrics, and every address it owns.
 *
 * @param hostname the host's name as the kernel reports it
 * @param primaryIp the source address of the default route, or the configured override (see the
 *     README for the fallbacks on a host without a default route)
 * @param localAddresses every address of every interface, loopback included
 */
public record HostIdentity(
    String hostname, InetAddress primaryIp, Set<InetAddress> localAddresses) {

  public HostIdentity {
    requireNonNull(hostname, "hostname");
    requireNonNull(primaryIp, "primaryIp");
    localAddresses = Set.copyOf(localAddresses);
  }

  /** Whether the address is one of this host's own. */
  public boolean isLocal(InetAddress address) {
    return address.equals(primaryIp) || localAddresses.contains(address);
  }
}
