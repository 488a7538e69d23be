package io.planetexporter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.net.IpAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class HostIdentityTest {

  private static IpAddress ip(String literal) {
    return IpAddress.parse(literal);
  }

  @Test
  void knowsItsOwnAddresses() {
    HostIdentity host =
        new HostIdentity("web1", ip("198.18.0.2"), Set.of(ip("127.0.0.1"), ip("fd00::2")));

    assertThat(host.isLocal(ip("198.18.0.2"))).isTrue();
    assertThat(host.isLocal(ip("fd00::2"))).isTrue();
    assertThat(host.isLocal(ip("127.0.0.1"))).isTrue();
    assertThat(host.isLocal(ip("198.18.0.3"))).isFalse();
  }

  @Test
  void copiesTheAddresses() {
    Set<IpAddress> addresses = new HashSet<>(Set.of(ip("198.18.0.2")));
    HostIdentity host = new HostIdentity("web1", ip("198.18.0.2"), addresses);

    addresses.add(ip("198.18.0.9"));

    assertThat(host.addresses()).containsExactly(ip("198.18.0.2"));
  }

  @Test
  void refusesNulls() {
    IpAddress ip = ip("198.18.0.2");
    assertThatThrownBy(() -> new HostIdentity(null, ip, Set.of()))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new HostIdentity("h", (IpAddress) null, Set.of()))
        .isInstanceOf(NullPointerException.class);
  }

  /** What plugins compiled against planet-api 0.1 call, kept working. */
  @Nested
  @SuppressWarnings("deprecation")
  class ApiZeroOne {

    @Test
    void buildsTheSameIdentityFromInetAddresses() throws UnknownHostException {
      HostIdentity old =
          new HostIdentity(
              "web1",
              InetAddress.getByName("198.18.0.2"),
              Set.of(InetAddress.getByName("::ffff:127.0.0.1"), InetAddress.getByName("fd00::2")));

      assertThat(old)
          .isEqualTo(
              new HostIdentity("web1", ip("198.18.0.2"), Set.of(ip("127.0.0.1"), ip("fd00::2"))));
    }

    @Test
    void answersInInetAddresses() throws UnknownHostException {
      HostIdentity host = new HostIdentity("web1", ip("198.18.0.2"), Set.of(ip("fd00::2")));

      assertThat(host.primaryIp()).isEqualTo(InetAddress.getByName("198.18.0.2"));
      assertThat(host.localAddresses()).containsExactly(InetAddress.getByName("fd00::2"));
      assertThat(host.isLocal(InetAddress.getByName("fd00::2"))).isTrue();
      assertThat(host.isLocal(InetAddress.getByName("198.18.0.2"))).isTrue();
      assertThat(host.isLocal(InetAddress.getByName("198.18.0.3"))).isFalse();
    }
  }
}
