package io.planetexporter.api;

import static java.util.Objects.requireNonNull;

import io.planetexporter.net.IpAddress;
import java.net.InetAddress;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who this machine is: its name, the IP that labels its metrics, and every address it owns.
 *
 * <pre>{@code
 * HostIdentity host = context.host();
 * String ip = host.primaryAddress().toString(); // "198.18.0.1", RFC 5952 text for IPv6
 * boolean mine = host.isLocal(IpAddress.parse("127.0.0.1"));
 * }</pre>
 *
 * @param hostname the host's name as the kernel reports it
 * @param primaryAddress the source address of the default route, or the configured override (see
 *     docs/architecture.md for the fallbacks on a host without a default route)
 * @param addresses every address of every interface, loopback included
 */
public record HostIdentity(String hostname, IpAddress primaryAddress, Set<IpAddress> addresses) {

  public HostIdentity {
    requireNonNull(hostname, "hostname");
    requireNonNull(primaryAddress, "primaryAddress");
    addresses = Set.copyOf(addresses);
  }

  /**
   * The identity as planet-api 0.1 made it.
   *
   * @deprecated since 0.2, use {@link #HostIdentity(String, IpAddress, Set)}; kept so that plugins
   *     compiled against 0.1 still link
   */
  @Deprecated(since = "0.2")
  public HostIdentity(String hostname, InetAddress primaryIp, Set<InetAddress> localAddresses) {
    this(
        hostname,
        IpAddress.of(primaryIp),
        localAddresses.stream().map(IpAddress::of).collect(Collectors.toUnmodifiableSet()));
  }

  /** Whether the address is one of this host's own. */
  public boolean isLocal(IpAddress address) {
    return address.equals(primaryAddress) || addresses.contains(address);
  }

  /**
   * The primary address as an {@link InetAddress}.
   *
   * @deprecated since 0.2, use {@link #primaryAddress()}; kept so that plugins compiled against 0.1
   *     still link
   */
  @Deprecated(since = "0.2")
  public InetAddress primaryIp() {
    return primaryAddress.toInetAddress();
  }

  /**
   * Every address as an {@link InetAddress}.
   *
   * @deprecated since 0.2, use {@link #addresses()}; kept so that plugins compiled against 0.1
   *     still link
   */
  @Deprecated(since = "0.2")
  public Set<InetAddress> localAddresses() {
    return addresses.stream().map(IpAddress::toInetAddress).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Whether the address is one of this host's own.
   *
   * @deprecated since 0.2, use {@link #isLocal(IpAddress)}; kept so that plugins compiled against
   *     0.1 still link
   */
  @Deprecated(since = "0.2")
  public boolean isLocal(InetAddress address) {
    return isLocal(IpAddress.of(address));
  }
}
