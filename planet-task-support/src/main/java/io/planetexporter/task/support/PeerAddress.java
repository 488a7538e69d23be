package io.planetexporter.task.support;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Comparator;

/**
 * A peer's IP address in 32 bytes of heap, where an {@link InetAddress} takes 60 (IPv4) to 130
 * (IPv6): a page of 300,000 peers is held as keys twice (the run's table and the folded peers
 * remembered across runs). IPv4 is kept as its IPv4-mapped IPv6 form, which {@link InetAddress}
 * never returns for an IPv6 address, so the two families cannot collide.
 *
 * @param high the first 64 bits of the IPv6 (or IPv4-mapped) address
 * @param low the last 64 bits
 */
record PeerAddress(long high, long low) {

  private static final long IPV4_MAPPED = 0xffff_0000_0000L;

  /** Family, then address bytes: IPv4 before IPv6, each in numeric order. */
  static final Comparator<PeerAddress> ORDER =
      Comparator.comparing(PeerAddress::isIpv4, Comparator.reverseOrder())
          .thenComparing(PeerAddress::high, Long::compareUnsigned)
          .thenComparing(PeerAddress::low, Long::compareUnsigned);

  static PeerAddress of(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      return new PeerAddress(0, IPV4_MAPPED | (ByteBuffer.wrap(bytes).getInt() & 0xffff_ffffL));
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return new PeerAddress(buffer.getLong(), buffer.getLong());
  }

  boolean isIpv4() {
    return high == 0 && (low & 0xffff_ffff_0000_0000L) == IPV4_MAPPED;
  }

  InetAddress toInetAddress() {
    if (isIpv4()) {
      return InetAddresses.fromInteger((int) low);
    }
    try {
      return InetAddress.getByAddress(ByteBuffer.allocate(16).putLong(high).putLong(low).array());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are an IPv6 address", e);
    }
  }

  /** The address as the {@code remote_ip} label writes it (RFC 5952 for IPv6). */
  @Override
  public String toString() {
    return InetAddresses.toAddrString(toInetAddress());
  }
}
