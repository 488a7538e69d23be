package io.planetexporter.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.net.IpAddress;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InventoryTest {

  /** An inventory that answers only {@link Inventory#lookup(InetAddress)}, as 0.1's did. */
  private static final Inventory BY_INET_ADDRESS =
      new Inventory() {
        private final Map<String, Host> hosts =
            Map.of(
                "198.18.0.7", new Host("db1.example", "db"), "fd00:0:0:0:0:0:0:7", Host.LOCALHOST);

        @Override
        public Optional<Host> lookup(InetAddress address) {
          return Optional.ofNullable(hosts.get(address.getHostAddress()));
        }

        @Override
        public int size() {
          return hosts.size();
        }
      };

  @Test
  void answersAnIpAddressAsItsInetAddress() {
    assertThat(BY_INET_ADDRESS.lookup(IpAddress.parse("198.18.0.7")))
        .contains(new Host("db1.example", "db"));
    assertThat(BY_INET_ADDRESS.lookup(IpAddress.parse("::ffff:198.18.0.7")))
        .contains(new Host("db1.example", "db"));
    assertThat(BY_INET_ADDRESS.lookup(IpAddress.parse("fd00::7"))).contains(Host.LOCALHOST);
    assertThat(BY_INET_ADDRESS.lookup(IpAddress.parse("198.18.0.8"))).isEmpty();
  }

  @Test
  void theEmptyInventoryNamesOnlyLoopbackEitherWay() {
    assertThat(Inventory.empty().lookup(IpAddress.parse("127.0.0.1"))).contains(Host.LOCALHOST);
    assertThat(Inventory.empty().lookup(IpAddress.parse("::1"))).contains(Host.LOCALHOST);
    assertThat(Inventory.empty().lookup(IpAddress.parse("198.18.0.7"))).isEmpty();
  }
}
