package io.planetexporter.net;

/**
 * A CIDR prefix: the addresses whose first {@code length} bits are those of {@code address}. The
 * length counts bits of the address's own family (0-32 for IPv4, 0-128 for IPv6); host bits are
 * cleared, so {@code 10.1.2.3/8} and {@code 10.0.0.0/8} are equal and both print {@code
 * 10.0.0.0/8}.
 *
 * <pre>{@code
 * IpPrefix.parse("10.0.0.0/8").contains(IpAddress.parse("10.1.2.3"));     // true
 * IpPrefix.parse("::ffff:10.0.0.0/104");                                  // 10.0.0.0/8
 * IpPrefix.parse("::/0").contains(IpAddress.parse("10.1.2.3"));           // false: IPv4
 * }</pre>
 *
 * <p>A prefix contains only addresses of its own family: {@code ::/0} is every IPv6 address, not
 * the IPv4 ones (which this library holds as IPv4-mapped IPv6).
 *
 * @param address the first address of the prefix (host bits cleared by the constructor)
 * @param length the number of leading bits that are fixed
 * @since 0.2
 */
public record IpPrefix(IpAddress address, int length) {

  /**
   * @throws IllegalArgumentException when the length is negative or over the family's bits
   */
  public IpPrefix {
    address = address.masked(length);
  }

  /**
   * Reads {@code address/length}, e.g. {@code 10.0.0.0/8} or {@code 2001:db8::/32}; host bits are
   * ignored. An IPv4-mapped prefix of 96 bits or more is the IPv4 prefix it maps ({@code
   * ::ffff:10.0.0.0/104} is {@code 10.0.0.0/8}).
   *
   * @throws IllegalArgumentException saying what is wrong, quoting the text: no {@code /}, not an
   *     IP address, not a prefix length, a length over the family's bits, or an IPv4-mapped prefix
   *     shorter than 96 bits (it would cover IPv6 addresses too)
   */
  public static IpPrefix parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a CIDR prefix (no /length): \"" + text + "\"");
    }
    String addressText = text.substring(0, slash);
    IpAddress address = IpAddress.parse(addressText);
    String lengthText = text.substring(slash + 1);
    if (lengthText.isEmpty()
        || lengthText.length() > 3
        || !lengthText.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("not a prefix length in \"" + text + "\"");
    }
    int length = Integer.parseInt(lengthText);
    if (address.isIpv4() && addressText.indexOf(':') >= 0) {
      // Written as IPv6: the length counts 128 bits, of which the first 96 are ::ffff:.
      if (length < 96) {
        throw new IllegalArgumentException(
            "prefix " + text + " covers more than the IPv4-mapped addresses");
      }
      length -= 96;
    }
    int bits = address.isIpv4() ? 32 : 128;
    if (length > bits) {
      throw new IllegalArgumentException("prefix length over " + bits + " in " + text);
    }
    return new IpPrefix(address, length);
  }

  /** Whether {@code candidate} is of this prefix's family and starts with its bits. */
  public boolean contains(IpAddress candidate) {
    return candidate.isIpv4() == address.isIpv4() && candidate.masked(length).equals(address);
  }

  /** Whether this is an IPv4 prefix. */
  public boolean isIpv4() {
    return address.isIpv4();
  }

  /** {@code 10.0.0.0/8}, {@code 2001:db8::/32}. */
  @Override
  public String toString() {
    return address + "/" + length;
  }
}
