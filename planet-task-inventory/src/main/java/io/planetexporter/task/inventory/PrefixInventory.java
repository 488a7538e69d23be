package io.planetexporter.task.inventory;

import com.google.common.net.InetAddresses;
import io.planetexporter.api.Host;
import io.planetexporter.api.Inventory;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

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

  private static final int EXACT6 = 129;

  private final LongHostMap v4;
  private final int[] v4Lengths;
  private final Map<V6Key, Host> v6;
  private final int[] v6Lengths;

  private PrefixInventory(Builder builder) {
    this.v4 = builder.v4;
    this.v4Lengths = descending(builder.v4Lengths);
    this.v6 = Map.copyOf(builder.v6);
    this.v6Lengths = descending(builder.v6Lengths);
  }

  static Builder builder() {
    return new Builder();
  }

  @Override
  public Optional<Host> lookup(InetAddress address) {
    byte[] bytes = address.getAddress();
    Host host;
    boolean loopback;
    if (bytes.length == 4 || isMapped(bytes)) {
      int ip = v4Int(bytes, bytes.length - 4);
      loopback = (ip >>> 24) == 127;
      host = lookup4(ip, loopback ? 8 : 0);
    } else {
      long hi = longAt(bytes, 0);
      long lo = longAt(bytes, 8);
      loopback = hi == 0 && lo == 1;
      host = lookup6(hi, lo, loopback ? 128 : 0);
    }
    if (host == null && loopback) {
      host = Host.LOCALHOST;
    }
    return Optional.ofNullable(host);
  }

  @Override
  public int size() {
    return v4.size() + v6.size();
  }

  private Host lookup4(int ip, int minLength) {
    Host host = v4.get(key4(EXACT4, ip));
    for (int i = 0; host == null && i < v4Lengths.length && v4Lengths[i] >= minLength; i++) {
      host = v4.get(key4(v4Lengths[i], ip & mask4(v4Lengths[i])));
    }
    return host;
  }

  private Host lookup6(long hi, long lo, int minLength) {
    Host host = v6.get(new V6Key(EXACT6, hi, lo));
    for (int i = 0; host == null && i < v6Lengths.length && v6Lengths[i] >= minLength; i++) {
      int length = v6Lengths[i];
      host = v6.get(new V6Key(length, hi & mask6(length), lo & mask6(length - 64)));
    }
    return host;
  }

  private static long key4(int length, int ip) {
    return ((long) length << 32) | (ip & 0xffffffffL);
  }

  private static int mask4(int length) {
    return length == 0 ? 0 : -1 << (32 - length);
  }

  /** The mask of one 64-bit half of an IPv6 address for the bits of the prefix that fall in it. */
  private static long mask6(int bitsInHalf) {
    if (bitsInHalf <= 0) {
      return 0;
    }
    return bitsInHalf >= 64 ? -1L : -1L << (64 - bitsInHalf);
  }

  private static boolean isMapped(byte[] bytes) {
    if (bytes.length != 16 || bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static int v4Int(byte[] bytes, int offset) {
    return (bytes[offset] & 0xff) << 24
        | (bytes[offset + 1] & 0xff) << 16
        | (bytes[offset + 2] & 0xff) << 8
        | (bytes[offset + 3] & 0xff);
  }

  private static long longAt(byte[] bytes, int offset) {
    long value = 0;
    for (int i = offset; i < offset + 8; i++) {
      value = (value << 8) | (bytes[i] & 0xff);
    }
    return value;
  }

  private static int[] descending(boolean[] present) {
    return IntStream.iterate(present.length - 1, i -> i >= 0, i -> i - 1)
        .filter(i -> present[i])
        .toArray();
  }

  private record V6Key(int length, long hi, long lo) {}

  /**
   * Collects entries; the last entry for the same address or prefix wins. Not thread-safe; build
   * once.
   */
  static final class Builder {
    private final LongHostMap v4 = new LongHostMap();
    private final boolean[] v4Lengths = new boolean[33];
    private final Map<V6Key, Host> v6 = new HashMap<>();
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
      int slash = ipOrCidr.indexOf('/');
      String addressText = slash < 0 ? ipOrCidr : ipOrCidr.substring(0, slash);
      InetAddress address = parseAddress(addressText);
      int bits = address instanceof Inet4Address ? 32 : 128;
      int length = slash < 0 ? -1 : parseLength(ipOrCidr.substring(slash + 1), ipOrCidr);
      if (address instanceof Inet4Address && addressText.indexOf(':') >= 0 && length >= 0) {
        // An IPv4-mapped prefix such as ::ffff:10.0.0.0/104 is the IPv4 prefix 10.0.0.0/8.
        if (length < 96) {
          throw new IllegalArgumentException(
              "prefix " + ipOrCidr + " covers more than the IPv4-mapped addresses");
        }
        length -= 96;
      }
      if (length > bits) {
        throw new IllegalArgumentException("prefix length over " + bits + " in " + ipOrCidr);
      }
      byte[] bytes = address.getAddress();
      if (bits == 32) {
        int ip = v4Int(bytes, 0);
        if (length < 0) {
          v4.put(key4(EXACT4, ip), shared);
        } else {
          v4.put(key4(length, ip & mask4(length)), shared);
          v4Lengths[length] = true;
        }
      } else {
        long hi = longAt(bytes, 0);
        long lo = longAt(bytes, 8);
        if (length < 0) {
          v6.put(new V6Key(EXACT6, hi, lo), shared);
        } else {
          v6.put(new V6Key(length, hi & mask6(length), lo & mask6(length - 64)), shared);
          v6Lengths[length] = true;
        }
      }
      return this;
    }

    PrefixInventory build() {
      return new PrefixInventory(this);
    }

    private static InetAddress parseAddress(String text) {
      // Literal addresses only, never a DNS lookup; a zone (%eth0) does not name a peer.
      InetAddress address;
      try {
        address = InetAddresses.forString(text);
      } catch (IllegalArgumentException e) {
        address = null;
      }
      if (address == null || text.indexOf('%') >= 0) {
        throw new IllegalArgumentException("not an IP address: \"" + text + "\"");
      }
      return address instanceof Inet6Address && isMapped(address.getAddress())
          ? InetAddresses.fromInteger(v4Int(address.getAddress(), 12))
          : address;
    }

    private static int parseLength(String text, String cidr) {
      if (text.isEmpty()
          || text.length() > 3
          || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new IllegalArgumentException("not a prefix length in \"" + cidr + "\"");
      }
      return Integer.parseInt(text);
    }
  }
}
