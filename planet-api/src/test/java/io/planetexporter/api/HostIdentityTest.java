package io.planetexporter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostIdentityTest {

  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }

  @Test
  void knowsItsOwnAddresses() throws UnknownHostException {
    HostIdentity host =
        new HostIdentity("web1", ip("198.18.0.2"), Set.of(ip("127.0.0.1"), ip("fd00::2")));

    assertThat(host.isLocal(ip("198.18.0.2"))).isTrue();
    assertThat(host.isLocal(ip("fd00::2"))).isTrue();
    assertThat(host.isLocal(ip("127.0.0.1"))).isTrue();
    assertThat(host.isLocal(ip("198.18.0.3"))).isFalse();
  }

  @Test
  void copiesTheAddresses() throws UnknownHostException {
    Set<InetAddress> addresses = new HashSet<>(Set.of(ip("198.18.0.2")));
    HostIdentity host = new HostIdentity("web1", ip("198.18.0.2"), addresses);

    addresses.add(ip("198.18.0.9"));

    assertThat(host.localAddresses()).containsExactly(ip("198.18.0.2"));
  }

  @Test
  void refusesNulls() throws UnknownHostException {
    InetAddress ip = ip("198.18.0.2");
    assertThatThrownBy(() -> new HostIdentity(null, ip, Set.of()))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new HostIdentity("h", null, Set.of()))
        .isInstanceOf(NullPointerException.class);
  }
}
