package io.planetexporter.net;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address as 128 bits, IPv4 held in its IPv4-mapped form ({@code ::ffff:a.b.c.d})
 * so that a mapped address from {@code tcp6} and the same address from {@code tcp} are equal and
 * both print as IPv4.
 *
 * <p>32 bytes of heap (two longs and an object header), where an {@link InetAddress} takes 60
 * (IPv4) to 130 (IPv6) bytes: tasks hold hundreds of thousands of peers as keys (BENCHMARKS.md,
 * "Budgets and memory"). An IPv4-compatible address ({@code ::a.b.c.d}) stays IPv6.
 *
 * <pre>{@code
 * IpAddress address = IpAddress.parse("2001:DB8:0:0::1");
 * address.toString();     // "2001:db8::1" (RFC 5952)
 * address.withPort(443);  // "[2001:db8::1]:443"
 * IpAddress.parse("::ffff:10.0.0.1").equals(IpAddress.parse("10.0.0.1")); // true
 * }</pre>
 *
 * <p>Ordered IPv4 before IPv6, each numerically.
 *
 * @param high the first 64 bits, in network order
 * @param low the last 64 bits, in network order
 * @since 0.2
 */
public record IpAddress(long high, long low) implements Comparable<IpAddress> {

  /** The low 64 bits of {@code ::ffff:0.0.0.0}. */
  public static final long MAPPED_PREFIX = 0xffffL << 32;

  /** {@code 0.0.0.0}. */
  public static final IpAddress IPV4_ANY = ipv4(0);

  /** {@code ::}. */
  public static final IpAddress IPV6_ANY = new IpAddress(0, 0);

  /** The IPv4 address whose 32 bits, in network order, are {@code address}. */
  public static IpAddress ipv4(int address) {
    return new IpAddress(0, MAPPED_PREFIX | (address & 0xffffffffL));
  }

  /** The address of {@code address}; an IPv4-mapped IPv6 address is IPv4. */
  public static IpAddress of(InetAddress address) {
    if (address instanceof Inet4Address) {
      return ipv4(ipv4Bits((Inet4Address) address));
    }
    byte[] bytes = address.getAddress();
    return new IpAddress(longAt(bytes, 0), longAt(bytes, 8));
  }

  /**
   * The 32 bits of an IPv4 address, in network order, without making an {@code IpAddress}: for
   * lookups that run for every socket and would otherwise allocate one each.
   */
  public static int ipv4Bits(Inet4Address address) {
    byte[] bytes = address.getAddress();
    return (bytes[0] & 0xff) << 24
        | (bytes[1] & 0xff) << 16
        | (bytes[2] & 0xff) << 8
        | (bytes[3] & 0xff);
  }

  /**
   * Reads an IP literal: a dotted quad, or IPv6 in any RFC 4291 form (including {@code ::ffff:} and
   * embedded dotted quads). Never a DNS query.
   *
   * @throws IllegalArgumentException {@code not an IP address: "text"} for anything else, including
   *     a name, a zone ({@code fe80::1%eth0}) and surrounding spaces
   */
  public static IpAddress parse(String text) {
    long quad = dottedQuad(text);
    if (quad >= 0) {
      return ipv4((int) quad);
    }
    // A zone names an interface of this host, not a peer: refused rather than dropped.
    if (text.indexOf('%') < 0) {
      try {
        return of(InetAddresses.forString(text));
      } catch (IllegalArgumentException ignored) {
        // Guava's message names the text without saying what was expected; ours says both.
      }
    }
    throw new IllegalArgumentException("not an IP address: \"" + text + "\"");
  }

  /**
   * The 32 bits of a plain dotted quad (four decimal octets without leading zeros), or -1 for any
   * other text, which Guava then reads or refuses: pages list addresses by the thousand, and this
   * reads one without the garbage of a general parse.
   */
  private static long dottedQuad(String text) {
    long bits = 0;
    int octets = 0;
    int i = 0;
    int length = text.length();
    while (i < length && octets < 4) {
      int start = i;
      int octet = 0;
      while (i < length && i - start < 3 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
        octet = octet * 10 + text.charAt(i) - '0';
        i++;
      }
      boolean leadingZero = i - start > 1 && text.charAt(start) == '0';
      if (i == start || leadingZero || octet > 255) {
        return -1;
      }
      bits = bits << 8 | octet;
      octets++;
      if (octets < 4) {
        if (i == length || text.charAt(i) != '.') {
          return -1;
        }
        i++;
      }
    }
    return octets == 4 && i == length ? bits : -1;
  }

  private static long longAt(byte[] bytes, int offset) {
    long value = 0;
    for (int i = offset; i < offset + 8; i++) {
      value = value << 8 | (bytes[i] & 0xff);
    }
    return value;
  }

  /** Whether this is an IPv4 address (held as {@code ::ffff:a.b.c.d}). */
  public boolean isIpv4() {
    return high == 0 && (low >>> 32) == 0xffffL;
  }

  /**
   * The 32 bits of an IPv4 address, in network order.
   *
   * @throws IllegalStateException when this is an IPv6 address
   */
  public int ipv4Bits() {
    if (!isIpv4()) {
      throw new IllegalStateException(this + " is not an IPv4 address");
    }
    return (int) low;
  }

  /**
   * The first address of this address's prefix of {@code length} bits: its host bits cleared
   * ({@code 10.1.2.3} masked to 8 is {@code 10.0.0.0}). The length counts bits of the address's own
   * family.
   *
   * @throws IllegalArgumentException when the length is not within 0-32 (IPv4) or 0-128 (IPv6)
   */
  public IpAddress masked(int length) {
    boolean ipv4 = isIpv4();
    int bits = ipv4 ? 32 : 128;
    if (length < 0 || length > bits) {
      throw new IllegalArgumentException(
          "prefix length " + length + " is not within 0-" + bits + " for " + this);
    }
    int fixed = ipv4 ? 96 + length : length;
    return new IpAddress(high & mask(fixed), low & mask(fixed - 64));
  }

  /** The mask of one 64-bit half of an address for the leading bits that fall in it. */
  private static long mask(int bitsInHalf) {
    if (bitsInHalf <= 0) {
      return 0;
    }
    return bitsInHalf >= 64 ? -1L : -1L << (64 - bitsInHalf);
  }

  /** 127.0.0.0/8 or ::1. */
  public boolean isLoopback() {
    return isIpv4() ? (low & 0xff000000L) == 0x7f000000L : high == 0 && low == 1;
  }

  /** 224.0.0.0/4 or ff00::/8. */
  public boolean isMulticast() {
    return isIpv4() ? (low & 0xf0000000L) == 0xe0000000L : high >>> 56 == 0xff;
  }

  /** 0.0.0.0 or ::. */
  public boolean isWildcard() {
    return equals(IPV4_ANY) || equals(IPV6_ANY);
  }

  /** The address as an {@link Inet4Address} (IPv4) or {@code Inet6Address}. */
  public InetAddress toInetAddress() {
    byte[] bytes;
    if (isIpv4()) {
      bytes = new byte[4];
      putInt(bytes, 0, (int) low);
    } else {
      bytes = new byte[16];
      putInt(bytes, 0, (int) (high >>> 32));
      putInt(bytes, 4, (int) high);
      putInt(bytes, 8, (int) (low >>> 32));
      putInt(bytes, 12, (int) low);
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }

  private static void putInt(byte[] bytes, int offset, int value) {
    bytes[offset] = (byte) (value >>> 24);
    bytes[offset + 1] = (byte) (value >>> 16);
    bytes[offset + 2] = (byte) (value >>> 8);
    bytes[offset + 3] = (byte) value;
  }

  /** Dotted quad for IPv4; RFC 5952 for IPv6 (lower case, no leading zeros, longest zero run). */
  @Override
  public String toString() {
    return InetAddresses.toAddrString(toInetAddress());
  }

  /** The address as a {@code bind} label: {@code ip:port}, IPv6 in brackets. */
  public String withPort(int port) {
    return isIpv4() ? this + ":" + port : "[" + this + "]:" + port;
  }

  /** IPv4 before IPv6, each in numeric order. */
  @Override
  public int compareTo(IpAddress other) {
    boolean ipv4 = isIpv4();
    if (ipv4 != other.isIpv4()) {
      return ipv4 ? -1 : 1;
    }
    int byHigh = Long.compareUnsigned(high, other.high);
    return byHigh != 0 ? byHigh : Long.compareUnsigned(low, other.low);
  }
}
