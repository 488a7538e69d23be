package io.planetexporter.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

  private static IpAddress parse(String literal) {
    return IpAddress.parse(literal);
  }

  @Nested
  class Rfc5952 {

    @ParameterizedTest
    @CsvSource({
      "2001:0db8:0000:0000:0000:0000:0002:0001, 2001:db8::2:1",
      "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
      "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
      "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
      "2001:DB8:0:0:0:0:0:AAAA, 2001:db8::aaaa",
      "0:0:0:0:0:0:0:0, ::",
      "0:0:0:0:0:0:0:1, ::1",
      "1:0:0:0:0:0:0:0, 1::",
      "fe80:0:0:0:0:0:0:1, fe80::1",
      "0:0:1:0:0:0:0:0, 0:0:1::",
      "1:0:1:0:1:0:1:0, 1:0:1:0:1:0:1:0",
    })
    void compressesTheFirstLongestZeroRunAndWritesLowerCase(String written, String expected)
        throws UnknownHostException {
      assertThat(parse(written).toString()).isEqualTo(expected);
    }

    @Test
    void roundTripsRandomAddressesWithoutLeadingZeros() throws UnknownHostException {
      Random random = new Random(5952);
      for (int i = 0; i < 20_000; i++) {
        // Sparse groups so that zero runs of every length occur.
        long high = sparse(random);
        long low = sparse(random);
        IpAddress address = new IpAddress(high, low);
        String text = address.toString();

        assertThat(parse(text)).as(text).isEqualTo(address);
        if (!address.isIpv4()) {
          assertThat(text).as(text).doesNotContain(":::").doesNotMatch(".*(^|:)0[0-9a-f].*");
          assertThat(text.indexOf("::")).as(text).isEqualTo(text.lastIndexOf("::"));
          assertCompressesTheFirstLongestRun(text);
        }
      }
    }

    /** Left of "::" every zero run is shorter than the compressed one; right of it, not longer. */
    private void assertCompressesTheFirstLongestRun(String text) {
      int gap = text.indexOf("::");
      String left = gap < 0 ? text : text.substring(0, gap);
      String right = gap < 0 ? "" : text.substring(gap + 2);
      // Without "::" no run of two zero groups may remain, as if a run of 2 had been compressed.
      int compressed = gap < 0 ? 2 : 8 - groups(left).length - groups(right).length;
      assertThat(compressed).as(text).isGreaterThanOrEqualTo(2);
      assertThat(longestZeroRun(groups(left))).as(text).isLessThan(compressed);
      assertThat(longestZeroRun(groups(right))).as(text).isLessThanOrEqualTo(compressed);
    }

    private String[] groups(String part) {
      return part.isEmpty() ? new String[0] : part.split(":");
    }

    private int longestZeroRun(String[] groups) {
      int longest = 0;
      int run = 0;
      for (String group : groups) {
        run = group.equals("0") ? run + 1 : 0;
        longest = Math.max(longest, run);
      }
      return longest;
    }

    private long sparse(Random random) {
      long value = 0;
      for (int group = 0; group < 4; group++) {
        value = value << 16 | (random.nextInt(3) == 0 ? random.nextInt(0x10000) : 0);
      }
      return value;
    }
  }

  @Nested
  class Ipv4 {

    @Test
    void treatsMappedAddressesAsIpv4() throws UnknownHostException {
      IpAddress mapped = new IpAddress(0, 0xffff_0a00_0001L);

      assertThat(mapped).isEqualTo(parse("10.0.0.1"));
      assertThat(mapped.toString()).isEqualTo("10.0.0.1");
      assertThat(mapped.toInetAddress()).isEqualTo(InetAddress.getByName("10.0.0.1"));
    }

    @Test
    void keepsIpv4CompatibleAddressesAsIpv6() {
      assertThat(new IpAddress(0, 0x0a00_0001L).toString()).isEqualTo("::a00:1");
    }
  }

  @Nested
  class Kinds {

    @ParameterizedTest
    @CsvSource({
      "127.0.0.1, true",
      "127.0.0.2, true",
      "127.255.255.254, true",
      "::1, true",
      "::ffff:127.0.0.1, true",
      "128.0.0.1, false",
      "::2, false",
      "0.0.0.0, false",
    })
    void knowsLoopback(String address, boolean loopback) throws UnknownHostException {
      assertThat(parse(address).isLoopback()).isEqualTo(loopback);
    }

    @ParameterizedTest
    @CsvSource({
      "224.0.0.251, true",
      "239.255.255.255, true",
      "::ffff:224.0.0.1, true",
      "ff02::16, true",
      "ff00::, true",
      "223.255.255.255, false",
      "240.0.0.0, false",
      "fe80::1, false",
      "::224.0.0.1, false",
    })
    void knowsMulticastAsInetAddressDoes(String address, boolean multicast)
        throws UnknownHostException {
      assertThat(parse(address).isMulticast()).isEqualTo(multicast);
      assertThat(InetAddress.getByName(address).isMulticastAddress()).isEqualTo(multicast);
    }

    @Test
    void knowsBothWildcards() throws UnknownHostException {
      assertThat(parse("0.0.0.0").isWildcard()).isTrue();
      assertThat(parse("::").isWildcard()).isTrue();
      assertThat(parse("::1").isWildcard()).isFalse();
      assertThat(parse("0.0.0.0")).isNotEqualTo(parse("::"));
    }

    @Test
    void writesBindLabelsWithBracketsForIpv6() throws UnknownHostException {
      assertThat(parse("0.0.0.0").withPort(22)).isEqualTo("0.0.0.0:22");
      assertThat(parse("::").withPort(22)).isEqualTo("[::]:22");
      assertThat(parse("fd00::1").withPort(8080)).isEqualTo("[fd00::1]:8080");
    }
  }

  @Nested
  class Parsing {

    @ParameterizedTest
    @CsvSource({
      "10.0.0.1, 10.0.0.1",
      "::ffff:10.0.0.1, 10.0.0.1",
      "::FFFF:a00:1, 10.0.0.1",
      "::10.0.0.1, ::a00:1",
      "2001:db8::10.0.0.1, 2001:db8::a00:1",
      "FD00:0:0:0:0:0:0:1, fd00::1",
    })
    void readsEveryLiteralFormAndWritesTheCanonicalOne(String text, String canonical) {
      assertThat(IpAddress.parse(text).toString()).isEqualTo(canonical);
    }

    @Test
    void agreesWithTheInetAddressItWasMadeOf() throws UnknownHostException {
      for (String text : new String[] {"198.18.0.1", "255.255.255.255", "fd00::1", "fe80::1"}) {
        assertThat(IpAddress.parse(text)).isEqualTo(IpAddress.of(InetAddress.getByName(text)));
        assertThat(IpAddress.parse(text).toInetAddress()).isEqualTo(InetAddress.getByName(text));
      }
    }

    @Test
    void readsEveryDottedQuadAsGuavaDoes() {
      // parse reads plain dotted quads itself; Guava is the reference for what they mean.
      Random random = new Random(7);
      for (int i = 0; i < 100_000; i++) {
        int bits = i < 256 ? i * 0x01010101 : random.nextInt();
        String text =
            (bits >>> 24)
                + "."
                + (bits >>> 16 & 0xff)
                + "."
                + (bits >>> 8 & 0xff)
                + "."
                + (bits & 0xff);
        assertThat(IpAddress.parse(text))
            .as(text)
            .isEqualTo(IpAddress.ipv4(bits))
            .isEqualTo(IpAddress.of(InetAddresses.forString(text)));
      }
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "",
          "localhost",
          "example.com",
          "10.0.0",
          "10.0.0.256",
          "10.0.0.1 ",
          " 10.0.0.1",
          "10.0.0.1/8",
          "fe80::1%eth0",
          "fe80::1%1",
          "1::2::3",
          "12345::1",
          "[::1]",
          "10.0.0.01",
          "010.0.0.1",
          "1234.0.0.1",
          "10.0.0.1.",
          "10..0.1",
          ".10.0.0.1",
          "10.0.0.1.5",
          "10.0.0.-1",
          "+10.0.0.1"
        })
    void refusesWhatIsNotALiteralSayingSo(String text) {
      assertThatThrownBy(() -> IpAddress.parse(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("not an IP address: \"" + text + "\"");
    }
  }

  @Nested
  class Identity {

    @Test
    void equalsAndHashesByValueWhateverTheSpelling() {
      assertThat(parse("2001:DB8::1")).isEqualTo(parse("2001:db8:0:0:0:0:0:1"));
      assertThat(parse("2001:DB8::1").hashCode())
          .isEqualTo(parse("2001:db8:0:0:0:0:0:1").hashCode());
      assertThat(parse("::ffff:1.2.3.4").hashCode()).isEqualTo(parse("1.2.3.4").hashCode());
      assertThat(parse("::1.2.3.4")).isNotEqualTo(parse("1.2.3.4"));
      assertThat(
              new HashSet<>(List.of(parse("10.0.0.1"), parse("::ffff:10.0.0.1"), parse("::a00:1"))))
          .hasSize(2);
    }

    @Test
    void masksToThePrefixOfItsOwnFamily() {
      assertThat(parse("10.1.2.3").masked(8)).isEqualTo(parse("10.0.0.0"));
      assertThat(parse("10.1.2.3").masked(0)).isEqualTo(parse("0.0.0.0"));
      assertThat(parse("10.1.2.3").masked(32)).isEqualTo(parse("10.1.2.3"));
      assertThat(parse("2001:db8:ffff::1").masked(32)).isEqualTo(parse("2001:db8::"));
      assertThat(parse("2001:db8::ffff").masked(120)).isEqualTo(parse("2001:db8::ff00"));
      assertThat(parse("2001:db8::ffff").masked(0)).isEqualTo(parse("::"));
      assertThatThrownBy(() -> parse("10.0.0.1").masked(33))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("prefix length 33 is not within 0-32 for 10.0.0.1");
      assertThatThrownBy(() -> parse("::1").masked(-1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("prefix length -1 is not within 0-128 for ::1");
    }

    @Test
    void givesTheIpv4BitsOfIpv4AddressesOnly() {
      assertThat(parse("10.1.2.3").ipv4Bits()).isEqualTo(0x0a010203);
      assertThat(IpAddress.ipv4(0xc0000201)).isEqualTo(parse("192.0.2.1"));
      assertThatThrownBy(() -> parse("::1").ipv4Bits())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("::1 is not an IPv4 address");
    }

    @Test
    void ordersIpv4FirstThenNumerically() {
      List<String> sorted =
          Stream.of("fd00::2", "198.18.0.10", "::1", "198.18.0.9", "ff02::1", "10.0.0.1", "::")
              .map(IpAddress::parse)
              .sorted()
              .map(IpAddress::toString)
              .toList();

      assertThat(sorted)
          .containsExactly(
              "10.0.0.1", "198.18.0.9", "198.18.0.10", "::", "::1", "fd00::2", "ff02::1");
    }
  }
}
