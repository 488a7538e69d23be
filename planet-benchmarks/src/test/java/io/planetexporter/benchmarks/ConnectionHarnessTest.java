package io.planetexporter.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionHarnessTest {
  private static final Path PROC = Path.of("/proc");

  @Test
  void holdsEstablishedConnectionsInSeveralProcessesUntilClosed() throws Exception {
    Set<Integer> ports;
    try (ConnectionHarness harness = ConnectionHarness.open(600, 0, 0)) {
      ports = Set.copyOf(harness.ports());

      assertThat(harness.pids()).hasSize(2).allMatch(pid -> ProcessHandle.of(pid).isPresent());
      assertThat(ports).hasSize(2);
      // Two sockets per connection, both on a worker's listener port.
      assertThat(SocketCensus.take(PROC, ports).established()).isEqualTo(1_200);
    }
    // Only established ones: a listener port may be reused from the TIME_WAIT test's sockets.
    assertThat(SocketCensus.take(PROC, ports).established()).isZero();
  }

  @Test
  void leavesTimeWaitSocketsOnTheClientSide() throws Exception {
    try (ConnectionHarness harness = ConnectionHarness.open(10, 20, 0)) {
      SocketCensus census = SocketCensus.take(PROC, Set.copyOf(harness.ports()));

      assertThat(census.established()).isEqualTo(20);
      assertThat(census.timeWait()).isEqualTo(20);
    }
  }

  @Test
  void changesSourceAddressEveryFewHundredConnections() throws Exception {
    assertThat(ConnectionWorker.sourceAddress(3, 0))
        .isEqualTo(InetAddress.getByName("127.103.0.1"));
    assertThat(ConnectionWorker.sourceAddress(3, ConnectionWorker.CONNECTIONS_PER_SOURCE))
        .isEqualTo(InetAddress.getByName("127.103.0.2"));
    assertThat(ConnectionWorker.sourceAddress(3, 250L * ConnectionWorker.CONNECTIONS_PER_SOURCE))
        .isEqualTo(InetAddress.getByName("127.103.1.1"));
  }

  @Test
  void containerPlacementHoldsPlainIpv4ConnectionsInNamespacesOfTheirOwn() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")), "network namespaces need root (ip netns)");
    List<String> namespaces;
    try (Placement placement = Placement.containers(2);
        ConnectionHarness harness = ConnectionHarness.open(600, 0, 0, placement)) {
      namespaces = placement.namespaces();
      assertThat(placement.label()).isEqualTo("2 containers");
      assertThat(placement.whereTheLoadIs("ss -tan"))
          .isEqualTo(
              "nsenter --net=/run/netns/"
                  + namespaces.get(0)
                  + " ss -tan && nsenter --net=/run/netns/"
                  + namespaces.get(1)
                  + " ss -tan");
      Set<Path> workerNamespaces = new HashSet<>();
      for (long pid : harness.pids()) {
        workerNamespaces.add(Files.readSymbolicLink(PROC.resolve(pid + "/ns/net")));
        // 300 connections a namespace, both ends in it, IPv4 only: 600 lines of net/tcp.
        SocketCensus census = SocketCensus.take(PROC.resolve(Long.toString(pid)));
        assertThat(census.established()).isEqualTo(600);
        assertThat(Files.readAllLines(PROC.resolve(pid + "/net/tcp6"))).hasSize(1);
      }
      assertThat(workerNamespaces)
          .hasSize(2)
          .doesNotContain(Files.readSymbolicLink(PROC.resolve("self/ns/net")));
    }
    assertThat(Path.of("/run/netns").toFile().list()).doesNotContainAnyElementsOf(namespaces);
  }

  @Test
  void containerWorkersShareTheirSourceAddresses() throws Exception {
    assertThat(ConnectionWorker.sharedSourceAddress(0))
        .isEqualTo(InetAddress.getByName("127.99.0.1"));
    assertThat(ConnectionWorker.sharedSourceAddress(Placement.CONTAINER_SOURCES - 1))
        .isEqualTo(InetAddress.getByName("127.99.1.6"));
  }
}
