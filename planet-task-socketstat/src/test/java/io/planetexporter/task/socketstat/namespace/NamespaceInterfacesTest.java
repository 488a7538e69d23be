package io.planetexporter.task.socketstat.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.net.NetInterface;
import io.planetexporter.net.PrimaryIp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On files captured in a namespace made for the purpose; see the fixtures' README. */
class NamespaceInterfacesTest {

  private static Path fixture(String name) {
    try {
      return Path.of(
          NamespaceInterfacesTest.class.getResource("NamespaceInterfacesTest/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static List<NetInterface> read(String fixture) throws IOException {
    return NamespaceInterfaces.read(fixture(fixture), ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void findsEachInterfaceWithItsAddressesTheDefaultGatewaysSubnetFirst() throws IOException {
    assertThat(read("container"))
        .containsExactly(
            new NetInterface("lo", true, true, List.of(ip("::1"))),
            new NetInterface(
                "eth0",
                true,
                false,
                List.of(
                    ip("198.18.77.2"),
                    ip("198.19.5.9"),
                    ip("fd00:77::2"),
                    ip("fe80::5cf4:cdff:fe3c:136f"))));
  }

  @Test
  void thePrimaryIpIsTheSourceOfTheDefaultRoute() throws IOException {
    assertThat(PrimaryIp.select(fixture("container"), read("container")))
        .isEqualTo(ip("198.18.77.2"));
    assertThat(PrimaryIp.select(fixture("second-subnet-gateway"), read("second-subnet-gateway")))
        .isEqualTo(ip("198.19.5.9"));
  }

  @Test
  void thePrimaryIpIsTheFirstNonLoopbackAddressWithoutADefaultRoute() throws IOException {
    assertThat(PrimaryIp.select(fixture("no-default"), read("no-default")))
        .isEqualTo(ip("198.18.77.2"));
  }

  @Test
  void anAddressWithoutAConnectedRouteBelongsToNoNamedInterface(@TempDir Path net)
      throws IOException {
    Files.writeString(
        net.resolve("route"),
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n");
    Files.writeString(
        net.resolve("fib_trie"),
        """
        Main:
          +-- 0.0.0.0/0 3 0 5
             |-- 198.18.200.1
                /32 host LOCAL
             |-- 127.0.0.1
                /32 host LOCAL
        """);

    List<NetInterface> interfaces = NamespaceInterfaces.read(net, ByteOrder.LITTLE_ENDIAN);

    assertThat(interfaces)
        .containsExactly(new NetInterface("", true, false, List.of(ip("198.18.200.1"))));
    assertThat(PrimaryIp.select(net, interfaces)).isEqualTo(ip("198.18.200.1"));
  }

  @Test
  void aProcessThatExitedHasNoFiles(@TempDir Path root) {
    assertThatThrownBy(() -> NamespaceInterfaces.read(root.resolve("4242/net")))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void garbageIsAnIoError(@TempDir Path net) throws IOException {
    Files.writeString(net.resolve("route"), "eth0\tzz\t00000000\t0001\t0\t0\t0\t00FFFFFF\n");
    Files.writeString(net.resolve("fib_trie"), "");

    assertThatThrownBy(() -> NamespaceInterfaces.read(net))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("unparsable interfaces or routes under ");
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
