package io.planetexporter.task.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeerAddressTest {

  private static PeerAddress of(String text) {
    return PeerAddress.of(InetAddresses.forString(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "198.18.0.1",
        "0.0.0.0",
        "255.255.255.255",
        "fd00::1",
        "::",
        "2001:db8::ff00:42:8329",
        "fe80::1"
      })
  void writesBackTheAddressItWasMadeOf(String text) {
    assertThat(of(text).toString()).isEqualTo(text);
    assertThat(of(text).toInetAddress()).isEqualTo(InetAddresses.forString(text));
  }

  @Test
  void tellsAnIpv4AddressFromTheIpv6AddressesAroundIt() {
    assertThat(of("1.2.3.4").isIpv4()).isTrue();
    assertThat(of("::1.2.3.4").isIpv4()).isFalse();
    assertThat(of("::1.2.3.4")).isNotEqualTo(of("1.2.3.4"));
    assertThat(of("::ffff:1.2.3.4")).isEqualTo(of("1.2.3.4")); // Java reads it as IPv4
  }

  @Test
  void ordersIpv4FirstThenNumerically() {
    List<PeerAddress> sorted =
        Stream.of("fd00::2", "198.18.0.10", "::1", "198.18.0.9", "ff02::1", "10.0.0.1")
            .map(PeerAddressTest::of)
            .sorted(PeerAddress.ORDER)
            .toList();

    assertThat(sorted.stream().map(PeerAddress::toString))
        .containsExactly("10.0.0.1", "198.18.0.9", "198.18.0.10", "::1", "fd00::2", "ff02::1");
  }
}
