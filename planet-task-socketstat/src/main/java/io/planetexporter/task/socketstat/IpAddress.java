package io.planetexporter.task.socketstat;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address as 128 bits, IPv4 held in its IPv4-mapped form ({@code ::ffff:a.b.c.d})
 * so that a mapped address from {@code tcp6} and the same address from {@code tcp} are equal and
 * both print as IPv4.
 *
 * @param high the first 64 bits, in network order
 * @param low the last 64 bits, in network order
 */
record IpAddress(long high, long low) {

  /** The low 64 bits of {@code ::ffff:0.0.0.0}. */
  static final long MAPPED_PREFIX = 0xffffL << 32;

  static final IpAddress IPV4_ANY = ipv4(0);
  static final IpAddress IPV6_ANY = new IpAddress(0, 0);

  static IpAddress ipv4(int address) {
    return new IpAddress(0, MAPPED_PREFIX | (address & 0xffffffffL));
  }

  static IpAddress of(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      return ipv4(
          (bytes[0] & 0xff) << 24
              | (bytes[1] & 0xff) << 16
              | (bytes[2] & 0xff) << 8
              | (bytes[3] & 0xff));
    }
    return new IpAddress(longAt(bytes, 0), longAt(bytes, 8));
  }

  private static long longAt(byte[] bytes, int offset) {
    long value = 0;
    for (int i = offset; i < offset + 8; i++) {
      value = value << 8 | (bytes[i] & 0xff);
    }
    return value;
  }

  boolean isIpv4() {
    return high == 0 && (low >>> 32) == 0xffffL;
  }

  /** 127.0.0.0/8 or ::1. */
  boolean isLoopback() {
    return isIpv4() ? (low & 0xff000000L) == 0x7f000000L : high == 0 && low == 1;
  }

  /** 0.0.0.0 or ::. */
  boolean isWildcard() {
    return equals(IPV4_ANY) || equals(IPV6_ANY);
  }

  InetAddress toInetAddress() {
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
  String withPort(int port) {
    return isIpv4() ? this + ":" + port : "[" + this + "]:" + port;
  }
}
