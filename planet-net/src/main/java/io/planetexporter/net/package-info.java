/**
 * Supported API: network values every module shares, with no Prometheus or exporter types. {@link
 * io.planetexporter.net.IpAddress} (an IPv4 or IPv6 address in 32 bytes of heap), {@link
 * io.planetexporter.net.IpPrefix} (a CIDR prefix) and {@link io.planetexporter.net.LongMap} (a map
 * keyed by primitive {@code long}s, such as socket inodes or packed IPv4 prefixes).
 *
 * <pre>{@code
 * IpPrefix office = IpPrefix.parse("10.1.0.0/16");
 * IpAddress peer = IpAddress.parse("::ffff:10.1.2.3"); // IPv4-mapped: the IPv4 address 10.1.2.3
 * boolean inside = office.contains(peer); // true
 * String label = peer.withPort(443); // "10.1.2.3:443"
 * }</pre>
 *
 * <p>{@link io.planetexporter.net.PrimaryIp} and {@link io.planetexporter.net.NetInterface} read
 * this host's own addresses and the source address of its default route from the kernel; they are
 * public for this project's modules, with no compatibility promise.
 *
 * <p>Every other public type here is supported since 0.2 and changes only by additions.
 */
package io.planetexporter.net;
