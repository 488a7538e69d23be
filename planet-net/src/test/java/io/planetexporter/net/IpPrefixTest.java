package io.planetexporter.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpPrefixTest {

  @Nested
  class Parsing {

    @ParameterizedTest
    @CsvSource({
      "10.0.0.0/8, 10.0.0.0/8",
      "10.1.2.3/8, 10.0.0.0/8",
      "10.1.2.3/32, 10.1.2.3/32",
      "0.0.0.0/0, 0.0.0.0/0",
      "255.255.255.255/0, 0.0.0.0/0",
      "::ffff:10.0.0.0/104, 10.0.0.0/8",
      "::ffff:0.0.0.0/96, 0.0.0.0/0",
      "2001:DB8:1::/32, 2001:db8::/32",
      "2001:db8::1/128, 2001:db8::1/128",
      "fd00::1/0, ::/0",
      "2001:db8:ffff:ffff:ffff::/65, 2001:db8:ffff:ffff:8000::/65",
    })
    void clearsHostBitsAndWritesTheCanonicalForm(String text, String canonical) {
      assertThat(IpPrefix.parse(text).toString()).isEqualTo(canonical);
      assertThat(IpPrefix.parse(canonical)).isEqualTo(IpPrefix.parse(text));
    }

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "10.0.0.0 | not a CIDR prefix (no /length): \"10.0.0.0\"",
          "bogus/8 | not an IP address: \"bogus\"",
          "10.0.0.0/ | not a prefix length in \"10.0.0.0/\"",
          "10.0.0.0/-1 | not a prefix length in \"10.0.0.0/-1\"",
          "10.0.0.0/8x | not a prefix length in \"10.0.0.0/8x\"",
          "10.0.0.0/0008 | not a prefix length in \"10.0.0.0/0008\"",
          "10.0.0.0/33 | prefix length over 32 in 10.0.0.0/33",
          "fd00::/129 | prefix length over 128 in fd00::/129",
          "::ffff:10.0.0.0/95 | prefix ::ffff:10.0.0.0/95 covers more than the IPv4-mapped addresses",
          "10.0.0.0/8/8 | not a prefix length in \"10.0.0.0/8/8\"",
        })
    void saysWhatIsWrong(String text, String message) {
      assertThatThrownBy(() -> IpPrefix.parse(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(message);
    }

    @Test
    void refusesALengthOutsideTheFamilyWhenBuilt() {
      assertThatThrownBy(() -> new IpPrefix(IpAddress.parse("10.0.0.0"), 33))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("prefix length 33 is not within 0-32 for 10.0.0.0");
      assertThatThrownBy(() -> new IpPrefix(IpAddress.parse("::"), -1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("prefix length -1 is not within 0-128 for ::");
    }
  }

  @Nested
  class Containment {

    @ParameterizedTest
    @CsvSource({
      "10.0.0.0/8, 10.255.255.255, true",
      "10.0.0.0/8, 11.0.0.0, false",
      "10.0.0.0/8, ::ffff:10.1.2.3, true",
      "10.1.2.3/32, 10.1.2.3, true",
      "10.1.2.3/32, 10.1.2.4, false",
      "0.0.0.0/0, 203.0.113.9, true",
      "0.0.0.0/0, ::1, false",
      "::/0, 10.0.0.1, false",
      "::/0, ::1, true",
      "2001:db8::/32, 2001:db8:ffff::1, true",
      "2001:db8::/32, 2001:db9::1, false",
      "2001:db8::/64, 2001:db8::ffff:ffff:ffff:ffff, true",
      "2001:db8::/65, 2001:db8::8000:0:0:0, false",
      "::ffff:0:0/96, 10.0.0.1, true",
    })
    void containsTheAddressesOfItsFamilyThatStartWithItsBits(
        String prefix, String address, boolean contained) {
      assertThat(IpPrefix.parse(prefix).contains(IpAddress.parse(address))).isEqualTo(contained);
    }

    @Property(tries = 2000)
    void agreesWithComparingTheLeadingBitsAsNumbers(
        @ForAll long high,
        @ForAll long low,
        @ForAll long otherLow,
        @ForAll @IntRange(max = 128) int length) {
      IpAddress address = new IpAddress(high, low);
      // Differs from address only in the last 64 bits, so short prefixes contain both.
      IpAddress other = new IpAddress(high, otherLow);
      if (address.isIpv4() || other.isIpv4()) {
        return;
      }

      boolean expected =
          unsigned(address)
              .shiftRight(128 - length)
              .equals(unsigned(other).shiftRight(128 - length));

      assertThat(new IpPrefix(address, length).contains(other)).isEqualTo(expected);
      assertThat(new IpPrefix(address, length).contains(address)).isTrue();
    }

    @Property(tries = 2000)
    void agreesForIpv4(
        @ForAll int bits, @ForAll int otherBits, @ForAll @IntRange(max = 32) int length) {
      boolean expected = length == 0 || (bits >>> (32 - length)) == (otherBits >>> (32 - length));

      assertThat(new IpPrefix(IpAddress.ipv4(bits), length).contains(IpAddress.ipv4(otherBits)))
          .isEqualTo(expected);
    }

    private BigInteger unsigned(IpAddress address) {
      return new BigInteger(Long.toUnsignedString(address.high()))
          .shiftLeft(64)
          .or(new BigInteger(Long.toUnsignedString(address.low())));
    }
  }
}
