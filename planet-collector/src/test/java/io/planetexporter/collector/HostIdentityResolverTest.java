package io.planetexporter.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.api.HostIdentity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostIdentityResolverTest {

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

  private static Path fixture(String name) {
    try {
      return Path.of(
          HostIdentityResolverTest.class.getResource("HostIdentityResolverTest/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static InetAddress primaryIp(Path procRoot, NetInterface... interfaces) {
    return new HostIdentityResolver(procRoot, () -> List.of(interfaces), () -> "host")
        .primaryIp(List.of(interfaces));
  }

  @Nested
  class PrimaryIp {

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
      assertThat(primaryIp(fixture("ipv6-default"), LO, DOCKER0, ETH0))
          .isEqualTo(ip("2001:db8::2"));
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

    @Test
    void isTheOverrideWhenOneIsGiven() {
      HostIdentity identity =
          new HostIdentityResolver(fixture("ipv4-default"), () -> List.of(LO, ETH0), () -> "h")
              .identity(Optional.of(ip("198.18.1.1")));

      assertThat(identity.primaryIp()).isEqualTo(ip("198.18.1.1"));
    }
  }

  @Nested
  class Identity {

    @Test
    void holdsEveryAddressOfEveryInterface() {
      HostIdentity identity =
          new HostIdentityResolver(fixture("ipv4-default"), () -> List.of(LO, ETH0), () -> "h")
              .identity(Optional.empty());

      assertThat(identity.localAddresses())
          .containsExactlyInAnyOrder(
              ip("127.0.0.1"), ip("::1"), ip("fe80::1"), ip("2001:db8::2"), ip("192.0.2.2"));
      assertThat(identity.primaryIp()).isEqualTo(ip("192.0.2.2"));
      assertThat(identity.hostname()).isEqualTo("h");
    }

    @Test
    void isTheKernelsHostname() {
      HostIdentity identity =
          new HostIdentityResolver(
                  fixture("no-default"),
                  () -> List.of(LO),
                  () -> {
                    throw new UnknownHostException("must not be asked");
                  })
              .identity(Optional.empty());

      assertThat(identity.hostname()).isEqualTo("fixture-host");
    }

    @Test
    void asksJavaWhenTheKernelsHostnameCannotBeRead(@TempDir Path emptyProc) {
      HostIdentity identity =
          new HostIdentityResolver(emptyProc, () -> List.of(LO), () -> "java-name")
              .identity(Optional.empty());

      assertThat(identity.hostname()).isEqualTo("java-name");
    }

    @Test
    void resolvesThisHostWithoutFailing() {
      HostIdentity identity = HostIdentityResolver.resolve(Optional.empty());

      assertThat(identity.hostname()).isNotEmpty();
      assertThat(identity.localAddresses()).contains(identity.primaryIp());
    }
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
