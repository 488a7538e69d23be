package io.planetexporter.task.socketstat.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Waiting for a datagram on a real {@code NETLINK_SOCK_DIAG} socket (no privilege needed). */
class NetlinkSocketTest {

  @BeforeEach
  void needsNetlink() {
    assumeTrue(NetlinkSocket.unavailable() == null, "netlink unavailable in this JVM");
  }

  @Test
  void awaitReadableIsFalseWhenNothingCameWithinTheTime() throws NetlinkException {
    try (NetlinkSocket socket = NetlinkSocket.open(0);
        NetlinkSocket.Wakeup wakeup = NetlinkSocket.Wakeup.open()) {
      assertThat(NetlinkSocket.awaitReadable(List.of(socket), wakeup, 20)).containsExactly(false);
    }
  }

  @Test
  void awaitReadableSaysWhichSocketHasADatagramAndReceiveReadsIt() throws NetlinkException {
    try (NetlinkSocket idle = NetlinkSocket.open(0);
        NetlinkSocket socket = NetlinkSocket.open(0);
        NetlinkSocket.Wakeup wakeup = NetlinkSocket.Wakeup.open()) {
      socket.send(InetDiag.tcpDumpRequest(InetDiag.ALL_STATES, 1));

      assertThat(NetlinkSocket.awaitReadable(List.of(idle, socket), wakeup, -1))
          .containsExactly(false, true);
      // A dump ends with NLMSG_DONE at the least: a datagram is there to read, so no timeout.
      socket.receiveTimeout(5_000);
      assertThat(socket.receive(ByteBuffer.allocateDirect(64 * 1024))).isPositive();
    }
  }

  /** How a listener that waits without a time limit is stopped: a closed socket would not do. */
  @Test
  void aWaitWithoutLimitEndsWhenTheWakeupIsSignalledFromAnotherThread() throws Exception {
    try (NetlinkSocket socket = NetlinkSocket.open(0);
        NetlinkSocket.Wakeup wakeup = NetlinkSocket.Wakeup.open()) {
      CompletableFuture<Boolean> waiting =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return NetlinkSocket.awaitReadable(List.of(socket), wakeup, -1)[0];
                } catch (NetlinkException e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(100);
      assertThat(waiting).isNotDone();

      wakeup.signal();

      assertTimeoutPreemptively(
          Duration.ofSeconds(10), () -> assertThat(waiting.get(10, TimeUnit.SECONDS)).isFalse());
      // It stays signalled: a later wait ends at once too, until it is cleared.
      assertThat(NetlinkSocket.awaitReadable(List.of(socket), wakeup, -1)).containsExactly(false);
      wakeup.clear();
      long start = System.nanoTime();
      assertThat(NetlinkSocket.awaitReadable(List.of(socket), wakeup, 200)).containsExactly(false);
      assertThat(System.nanoTime() - start).as("waited for its time").isGreaterThan(150_000_000L);
    }
  }
}
