package io.planetexporter.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.api.HostIdentity;
import io.planetexporter.net.IpAddress;
import io.planetexporter.net.NetInterface;
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

  private static Path fixture(String name) {
    try {
      return Path.of(
          HostIdentityResolverTest.class.getResource("HostIdentityResolverTest/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Nested
  class Identity {

    @Test
    void isTheOverrideWhenOneIsGiven() {
      HostIdentity identity =
          new HostIdentityResolver(fixture("no-default"), () -> List.of(LO, ETH0), () -> "h")
              .identity(Optional.of(IpAddress.parse("198.18.1.1")));

      assertThat(identity.primaryAddress()).isEqualTo(IpAddress.parse("198.18.1.1"));
    }

    @Test
    void holdsEveryAddressOfEveryInterface() {
      HostIdentity identity =
          new HostIdentityResolver(fixture("no-default"), () -> List.of(LO, ETH0), () -> "h")
              .identity(Optional.empty());

      assertThat(identity.addresses())
          .containsExactlyInAnyOrder(
              IpAddress.parse("127.0.0.1"),
              IpAddress.parse("::1"),
              IpAddress.parse("fe80::1"),
              IpAddress.parse("2001:db8::2"),
              IpAddress.parse("192.0.2.2"));
      assertThat(identity.primaryAddress()).isEqualTo(IpAddress.parse("192.0.2.2"));
      assertThat(identity.hostname()).isEqualTo("fixture-host");
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
      assertThat(identity.addresses()).contains(identity.primaryAddress());
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
