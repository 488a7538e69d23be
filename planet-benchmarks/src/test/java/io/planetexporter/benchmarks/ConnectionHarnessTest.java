package io.planetexporter.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
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
}
