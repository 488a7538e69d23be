package io.planetexporter.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConnectionHarnessTest {
  private static final Path PROC = Path.of("/proc");

  @Test
  void holdsEstablishedConnectionsInSeveralProcessesUntilClosed() throws Exception {
    SocketCensus before = SocketCensus.take(PROC);
    SocketCensus during;
    try (ConnectionHarness harness = ConnectionHarness.open(600, 0, 0)) {
      during = SocketCensus.take(PROC);

      assertThat(harness.pids()).hasSize(2).allMatch(pid -> ProcessHandle.of(pid).isPresent());
      assertThat(harness.ports()).hasSize(2).doesNotHaveDuplicates();
    }
    // Two sockets per connection; other tests may open a few more meanwhile.
    assertThat(during.established()).isGreaterThanOrEqualTo(before.established() + 1_200);
    assertThat(SocketCensus.take(PROC).established()).isLessThan(during.established() - 1_000);
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
