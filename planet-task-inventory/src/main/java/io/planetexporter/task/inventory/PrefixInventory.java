package io.planetexporter.task.inventory;

import io.planetexporter.api.Host;
import io.planetexporter.api.Inventory;
import io.planetexporter.net.IpAddress;
import io.planetexporter.net.IpPrefix;
import io.planetexporter.net.LongMap;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * An immutable inventory of exact addresses and CIDR prefixes, IPv4 and IPv6.
 *
 * <p>A lookup tries the exact address first, then each prefix length present in the inventory,
 * longest first, as one hash probe of the address masked to that length: at most 33 probes for IPv4
 * and 129 for IPv6, whatever the number of entries. IPv4-mapped IPv6 addresses, in entries and
 * lookups, are IPv4. A loopback address is {@link Host#LOCALHOST} unless an entry inside loopback
 * ({@code 127.0.0.0/8} or longer, {@code ::1}) names it: a catch-all such as {@code 0.0.0.0/0} does
 * not rename loopback.
 */
final class PrefixInventory implements Inventory {

  /** The "prefix length" exact IPv4 entries are stored under, apart from {@code /32} prefixes. */
  private static final int EXACT4 = 33;

  // IPv4 keyed by (length, masked address) packed in a long: a lookup neither boxes nor allocates.
  private final LongMap<Host> v4;
  private final int[] v4Lengths;
  private final Map<IpAddress, Host> v6Exact;
  // IPv6 prefixes by length, keyed by their first address: one flat 32-byte key per probe.
  private final List<Map<IpAddress, Host>> v6Prefixes;
  private final int[] v6Lengths;

  private PrefixInventory(Builder builder) {
    this.v4 = builder.v4;
    this.v4Lengths = descending(builder.v4Lengths);
    this.v6Exact = Map.copyOf(builder.v6Exact);
    this.v6Prefixes = builder.v6Prefixes.stream().map(Map::copyOf).toList();
    this.v6Lengths = descending(builder.v6Lengths);
  }

  static Builder builder() {
    return new Builder();
  }

  @Override
  public Optional<Host> lookup(InetAddress address) {
    if (address instanceof Inet4Address) {
      // The common case, without an IpAddress allocated per lookup (BENCHMARKS.md, inventory).
      int ip = IpAddress.ipv4Bits((Inet4Address) address);
      boolean loopback = (ip >>> 24) == 127;
      return found(lookup4(ip, loopback ? 8 : 0), loopback);
    }
    return lookup(IpAddress.of(address));
  }

  @Override
  public Optional<Host> lookup(IpAddress address) {
    boolean loopback = address.isLoopback();
    if (address.isIpv4()) {
      return found(lookup4(address.ipv4Bits(), loopback ? 8 : 0), loopback);
    }
    return found(lookup6(address, loopback ? 128 : 0), loopback);
  }

  private static Optional<Host> found(Host host, boolean loopback) {
    return Optional.ofNullable(host == null && loopback ? Host.LOCALHOST : host);
  }

  @Override
  public int size() {
    return v4.size() + v6Exact.size() + v6Prefixes.stream().mapToInt(Map::size).sum();
  }

  private Host lookup4(int ip, int minLength) {
    Host host = v4.get(key4(EXACT4, ip));
    for (int i = 0; host == null && i < v4Lengths.length && v4Lengths[i] >= minLength; i++) {
      host = v4.get(key4(v4Lengths[i], ip & mask4(v4Lengths[i])));
    }
    return host;
  }

  private Host lookup6(IpAddress address, int minLength) {
    Host host = v6Exact.get(address);
    for (int i = 0; host == null && i < v6Lengths.length && v6Lengths[i] >= minLength; i++) {
      host = v6Prefixes.get(v6Lengths[i]).get(address.masked(v6Lengths[i]));
    }
    return host;
  }

  private static long key4(int length, int ip) {
    return ((long) length << 32) | (ip & 0xffffffffL);
  }

  private static int mask4(int length) {
    return length == 0 ? 0 : -1 << (32 - length);
  }

  private static int[] descending(boolean[] present) {
    return IntStream.iterate(present.length - 1, i -> i >= 0, i -> i - 1)
        .filter(i -> present[i])
        .toArray();
  }

  /**
   * Collects entries; the last entry for the same address or prefix wins. Not thread-safe; build
   * once.
   */
  static final class Builder {
    private final LongMap<Host> v4 = new LongMap<>(16);
    private final boolean[] v4Lengths = new boolean[33];
    private final Map<IpAddress, Host> v6Exact = new HashMap<>();
    private final List<Map<IpAddress, Host>> v6Prefixes =
        Stream.generate(HashMap<IpAddress, Host>::new).limit(129).collect(Collectors.toList());
    private final boolean[] v6Lengths = new boolean[129];
    // Thousands of entries share a few hostgroups and domains: keep one copy of each.
    private final Map<Host, Host> hosts = new HashMap<>();

    private Builder() {}

    /**
     * Adds an address ({@code 10.1.2.3}, {@code 2001:db8::1}) or a CIDR prefix ({@code 10.0.0.0/8};
     * host bits are ignored).
     *
     * @throws IllegalArgumentException saying why the text is neither
     */
    Builder add(String ipOrCidr, Host host) {
      Host shared = hosts.computeIfAbsent(host, h -> h);
      if (ipOrCidr.indexOf('/') < 0) {
        IpAddress address = IpAddress.parse(ipOrCidr);
        if (address.isIpv4()) {
          v4.put(key4(EXACT4, address.ipv4Bits()), shared);
        } else {
          v6Exact.put(address, shared);
        }
        return this;
      }
      IpPrefix prefix = IpPrefix.parse(ipOrCidr);
      if (prefix.isIpv4()) {
        v4.put(key4(prefix.length(), prefix.address().ipv4Bits()), shared);
        v4Lengths[prefix.length()] = true;
      } else {
        v6Prefixes.get(prefix.length()).put(prefix.address(), shared);
        v6Lengths[prefix.length()] = true;
      }
      return this;
    }

    PrefixInventory build() {
      return new PrefixInventory(this);
    }
  }
}
