package io.planetexporter.task.socketstat.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class SockstatTest {

  /**
   * The layout of Linux 6.18's files; the TCP line as captured on the build machine, the UDP and
   * IPv6 counts (0 there) set to small numbers so that each one shows in the sum.
   */
  private static final String SOCKSTAT =
      """
      sockets: used 39613
      TCP: inuse 39603 orphan 0 tw 9900 alloc 45610 mem 0
      UDP: inuse 3 mem 0
      UDPLITE: inuse 0
      RAW: inuse 0
      FRAG: inuse 0 memory 0
      """;

  private static final String SOCKSTAT6 =
      """
      TCP6: inuse 7
      UDP6: inuse 2
      UDPLITE6: inuse 0
      RAW6: inuse 0
      FRAG6: inuse 0 memory 0
      """;

  @Test
  void countsTcpInUseAndInTimeWaitAndUdpOfBothFamilies() {
    assertThat(Sockstat.expectedSockets(SOCKSTAT, SOCKSTAT6)).isEqualTo(39_603 + 9_900 + 3 + 7 + 2);
  }

  @Test
  void countsWhatIsMissingOrUnreadableAsNone() {
    assertThat(Sockstat.expectedSockets("", "")).isZero();
    assertThat(Sockstat.expectedSockets("TCP: inuse x tw 5\nUDP: inuse", "TCP6: inuse -4\n"))
        .isEqualTo(5);
    assertThat(Sockstat.expectedSockets("TCP: inuse 99999999999 tw 99999999999\n", ""))
        .isEqualTo(Integer.MAX_VALUE / 2);
  }

  @Test
  void readsTheCallingThreadsNamespace() throws IOException {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
        Socket accepted = server.accept()) {
      assertThat(client.isConnected() && accepted.isConnected()).isTrue();
      // At least these three: 0 would mean the files could not be read.
      assertThat(Sockstat.expectedSockets()).isGreaterThanOrEqualTo(3);
    }
  }
}
