package io.planetexporter.task.socketstat.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.planetexporter.task.socketstat.table.Socket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Several listeners of destroy events, one thread for all, on this machine's kernel: each gets the
 * events of its namespace (here both are in the test's own), and one closed stops without the
 * others noticing.
 */
class DestroyEventLoopIT {

  @Test
  void oneThreadListensForEveryListenerUntilEachIsClosed() throws Exception {
    assumeTrue(DestroyEventsAvailable.check(), "the kernel refuses the sock_diag destroy groups");
    int before = DestroyEvents.listening();
    DestroyEvents first = DestroyEvents.start();
    DestroyEvents second = DestroyEvents.start();
    try (ServerSocket listener = new ServerSocket()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      assertThat(DestroyEvents.listening()).isEqualTo(before + 2);
      assertThat(
              Thread.getAllStackTraces().keySet().stream()
                  .filter(t -> t.isAlive() && t.getName().equals("socketstat-destroy-events")))
          .hasSize(1);

      int one = connectAndClose(listener);
      List<Socket> firstSaw = awaitPort(first, one);
      List<Socket> secondSaw = awaitPort(second, one);
      assertThat(firstSaw).isNotEmpty();
      assertThat(secondSaw).isNotEmpty();

      first.close();
      assertThat(DestroyEvents.listening()).isEqualTo(before + 1);
      int two = connectAndClose(listener);

      assertThat(awaitPort(second, two)).isNotEmpty();
      assertThat(first.drain())
          .as("closed: no longer read")
          .noneMatch(s -> s.localPort() == two || s.remotePort() == two);
    } finally {
      first.close();
      second.close();
    }
    assertThat(DestroyEvents.listening()).isEqualTo(before);
  }

  /** A loopback connection with a few bytes each way, closed: returns its client's port. */
  private static int connectAndClose(ServerSocket listener) throws IOException {
    try (java.net.Socket client =
            new java.net.Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        java.net.Socket server = listener.accept()) {
      client.getOutputStream().write(new byte[100]);
      server.getInputStream().readNBytes(100);
      return client.getLocalPort();
    }
  }

  /** The sockets {@code events} kept, once one of them has {@code port} at either end. */
  private static List<Socket> awaitPort(DestroyEvents events, int port)
      throws InterruptedException {
    List<Socket> seen = new ArrayList<>();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (Instant.now().isBefore(deadline)) {
      seen.addAll(events.drain());
      if (seen.stream().anyMatch(s -> s.localPort() == port || s.remotePort() == port)) {
        return seen;
      }
      Thread.sleep(20);
    }
    return List.of();
  }
}
