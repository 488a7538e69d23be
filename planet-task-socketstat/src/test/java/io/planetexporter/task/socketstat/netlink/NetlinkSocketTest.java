package io.planetexporter.task.socketstat.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Waiting for a datagram on a real {@code NETLINK_SOCK_DIAG} socket (no privilege needed). */
class NetlinkSocketTest {

  @Test
  void awaitReadableIsFalseWhenNothingCameWithinTheTime() throws NetlinkException {
    assumeTrue(NetlinkSocket.unavailable() == null, "netlink unavailable in this JVM");
    try (NetlinkSocket socket = NetlinkSocket.open(0)) {
      assertThat(socket.awaitReadable(20)).isFalse();
    }
  }

  @Test
  void awaitReadableIsTrueOnceADatagramWaitsAndReceiveReadsIt() throws NetlinkException {
    assumeTrue(NetlinkSocket.unavailable() == null, "netlink unavailable in this JVM");
    try (NetlinkSocket socket = NetlinkSocket.open(0)) {
      socket.send(InetDiag.tcpDumpRequest(InetDiag.ALL_STATES, 1));

      assertThat(socket.awaitReadable(5_000)).isTrue();
      // A dump ends with NLMSG_DONE at the least: a datagram is there to read, so no timeout.
      socket.receiveTimeout(5_000);
      assertThat(socket.receive(ByteBuffer.allocateDirect(64 * 1024))).isPositive();
    }
  }
}
