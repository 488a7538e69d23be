package io.planetexporter.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrimaryIpTest {

  private static final NetInterface LO =
      new NetInterface("lo", true, true, List.of(ip("127.0.0.1"), ip("::1")));
  private static final NetInterface ETH0 =
      new NetInterface(
          "eth0", true, false, List.of(ip("fe80::1"), ip("2001:db8::2"), ip("192.0.2.2")));
  private static final NetInterface WG0 =
      new NetInterface("wg0", true, false, List.of(ip("198.18.0.7")));
  private static final NetInterface DOWN0 =
      new NetInterface("down0", false, false, List.of(ip("198.18.9.9")));
  private static final NetInterface DOCKER0 =
      new NetInterface("docker0", true, false, List.of(ip("198.18.0.1")));

  /** A directory holding {@code route} and {@code ipv6_route}, as {@code /proc/net} does. */
  private static Path fixture(String name) {
    try {
      return Path.of(PrimaryIpTest.class.getResource("PrimaryIpTest/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static InetAddress primaryIp(Path net, NetInterface... interfaces) {
    return PrimaryIp.select(net, List.of(interfaces));
  }

  @Test
  void isTheAddressOfTheIpv4DefaultRouteInterface() {
    assertThat(primaryIp(fixture("ipv4-default"), LO, DOCKER0, ETH0)).isEqualTo(ip("192.0.2.2"));
  }

  @Test
  void followsTheDefaultRouteWithTheLowestMetricThatIsUp() {
    assertThat(primaryIp(fixture("two-ipv4-defaults"), LO, DOWN0, ETH0, WG0))
        .isEqualTo(ip("198.18.0.7"));
  }

  @Test
  void isTheGlobalAddressOfTheIpv6DefaultRouteInterfaceWithoutAnIpv4DefaultRoute() {
    assertThat(primaryIp(fixture("ipv6-default"), LO, DOCKER0, ETH0)).isEqualTo(ip("2001:db8::2"));
  }

  @Test
  void isTheFirstIpv4OfAnUpNonLoopbackInterfaceWithoutADefaultRoute() {
    assertThat(primaryIp(fixture("no-default"), LO, DOWN0, ETH0, WG0)).isEqualTo(ip("192.0.2.2"));
  }

  @Test
  void isTheFirstGlobalIpv6WithoutAnyIpv4() {
    NetInterface v6only =
        new NetInterface("eth1", true, false, List.of(ip("fe80::2"), ip("fd00::5")));

    assertThat(primaryIp(fixture("no-default"), LO, v6only)).isEqualTo(ip("fd00::5"));
  }

  @Test
  void isLoopbackWhenNothingElseIsThere(@TempDir Path emptyProc) {
    assertThat(primaryIp(emptyProc, LO)).isEqualTo(ip("127.0.0.1"));
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
