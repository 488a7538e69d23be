package io.planetexporter.task.socketstat.bytes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.planetexporter.task.socketstat.netlink.DestroyEvents;
import io.planetexporter.task.socketstat.netlink.DestroyEventsAvailable;
import io.planetexporter.task.socketstat.netlink.NetlinkSocketSource;
import io.planetexporter.task.socketstat.table.Socket;
import io.planetexporter.task.socketstat.table.SocketState;
import io.planetexporter.task.socketstat.table.TcpInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TcpByteCountTest {

  /** A live socket's payload, both halves. */
  static ByteCount live(TcpInfo counters, SocketState state, boolean opened) {
    return new ByteCount(
        TcpByteCount.liveEgress(
            counters.bytesAcked(), counters.bytesSent(), counters.bytesRetrans(), state, opened),
        TcpByteCount.liveIngress(counters.bytesReceived(), state));
  }

  @Nested
  class Rules {

    @Test
    void takesTheSynOffTheSideThatOpened() {
      TcpInfo client = new TcpInfo(100_001, 7_000, 100_000, 0, 0);
      TcpInfo server = new TcpInfo(7_000, 100_000, 7_000, 0, 0);

      assertThat(live(client, SocketState.ESTABLISHED, true))
          .isEqualTo(new ByteCount(100_000, 7_000));
      assertThat(live(server, SocketState.ESTABLISHED, false))
          .isEqualTo(new ByteCount(7_000, 100_000));
    }

    @Test
    void countsNoUnackedPayloadAndNoRetransmissionTwice() {
      // 5,000 bytes in flight; 34,518 sent twice (seen on loopback under load).
      TcpInfo counters = new TcpInfo(95_001, 0, 134_518, 34_518, 0);

      assertThat(live(counters, SocketState.ESTABLISHED, true)).isEqualTo(new ByteCount(95_000, 0));
    }

    @Test
    void takesTheFinsOffByStateWhileLive() {
      // The peer closed first: its FIN received; this host's not sent yet.
      assertThat(live(new TcpInfo(7_000, 100_001, 7_000, 0, 0), SocketState.CLOSE_WAIT, false))
          .isEqualTo(new ByteCount(7_000, 100_000));
      // This host closed first (half-close): its FIN acked.
      assertThat(live(new TcpInfo(7_001, 100_000, 7_000, 0, 0), SocketState.FIN_WAIT2, false))
          .isEqualTo(new ByteCount(7_000, 100_000));
    }

    @Test
    void takesTheFinOffByStateOnAKernelWithoutBytesSent() {
      assertThat(live(new TcpInfo(100_002, 7_000, -1, -1, 0), SocketState.FIN_WAIT2, true))
          .isEqualTo(new ByteCount(100_000, 7_000));
      assertThat(live(new TcpInfo(100_001, 7_000, -1, -1, 0), SocketState.ESTABLISHED, true))
          .isEqualTo(new ByteCount(100_000, 7_000));
    }

    @Test
    void closedByThePeerFirstCountsThePeersFin() {
      // Nothing left behind: this host closed second, after the peer's FIN.
      assertThat(
              TcpByteCount.closed(
                  new TcpInfo(7_001, 100_001, 7_000, 0, 0), false, SocketState.CLOSE))
          .isEqualTo(new ByteCount(7_000, 100_000));
    }

    @Test
    void closedFirstAndOrphanedBeforeThePeersFinCountsNoFin() {
      // A FIN_WAIT2 time-wait socket left, nothing unread: the socket died when its FIN was acked.
      assertThat(
              TcpByteCount.closed(
                  new TcpInfo(100_002, 7_000, 100_000, 0, 0), true, SocketState.FIN_WAIT2))
          .isEqualTo(new ByteCount(100_000, 7_000));
    }

    @Test
    void closedFirstAndOrphanedAfterThePeersFinCountsIt() {
      // The FIN unread in the queue of the orphaned socket (not looked up).
      assertThat(
              TcpByteCount.closed(
                  new TcpInfo(100_002, 7_001, 100_000, 0, 1), true, SocketState.CLOSE))
          .isEqualTo(new ByteCount(100_000, 7_000));
    }

    @Test
    void halfClosedThenDrainedCountsThePeersFin() {
      // A TIME_WAIT socket left, nothing unread: the application read the FIN, then closed.
      assertThat(
              TcpByteCount.closed(
                  new TcpInfo(100_002, 7_001, 100_000, 0, 0), true, SocketState.TIME_WAIT))
          .isEqualTo(new ByteCount(100_000, 7_000));
    }

    @Test
    void abortedKeepsWhatWasAcked() {
      // Reset with 3,000 bytes unacked: no FIN either way.
      assertThat(
              TcpByteCount.closed(
                  new TcpInfo(97_001, 7_000, 100_000, 0, 0), true, SocketState.CLOSE))
          .isEqualTo(new ByteCount(97_000, 7_000));
    }

    @Test
    void neverGoesBelowZero() {
      assertThat(live(new TcpInfo(0, 0, 0, 0, 0), SocketState.SYN_SENT, true))
          .isEqualTo(ByteCount.ZERO);
      assertThat(TcpByteCount.closed(new TcpInfo(0, 0, 0, 0, 0), true, SocketState.CLOSE))
          .isEqualTo(ByteCount.ZERO);
    }
  }

  /**
   * What this kernel counts: exactly N bytes sent one way and M the other on loopback, read back
   * through the netlink source while live and from the destroy events once closed, in both orders
   * of closing.
   */
  @Nested
  class OnThisKernel {

    private static final int N = 100_000;
    private static final int M = 7_000;

    @Test
    void liveCountersArePayloadPlusTheSyn() throws Exception {
      try (Pair pair = Pair.open()) {
        Socket client = pair.find(pair.client);
        Socket server = pair.find(pair.server);

        assertThat(client.counters().bytesAcked()).isEqualTo(N + 1);
        assertThat(server.counters().bytesAcked()).isEqualTo(M);
        assertThat(live(client.counters(), client.state(), true)).isEqualTo(new ByteCount(N, M));
        assertThat(live(server.counters(), server.state(), false)).isEqualTo(new ByteCount(M, N));
      }
    }

    @Test
    void destroyEventsGiveThePayloadWhicheverSideClosesFirst() throws Exception {
      assumeTrue(DestroyEventsAvailable.check(), "the kernel refuses the sock_diag destroy groups");
      for (boolean clientFirst : new boolean[] {true, false}) {
        try (DestroyEvents events = DestroyEvents.start();
            Pair pair = Pair.open()) {
          int clientPort = pair.client.getLocalPort();
          int serverPort = pair.server.getLocalPort();
          pair.close(clientFirst);
          List<Socket> closed = awaitClosed(events, clientPort, serverPort);
          assertThat(closed).hasSize(2);

          for (Socket socket : closed) {
            boolean opened = socket.localPort() == clientPort;
            assertThat(TcpByteCount.closed(socket.counters(), opened, socket.state()))
                .as("%s side, client closed first: %s", opened ? "client" : "server", clientFirst)
                .isEqualTo(opened ? new ByteCount(N, M) : new ByteCount(M, N));
          }
        }
      }
    }

    /** The destroy events of both ends of the connection between these two ports. */
    private static List<Socket> awaitClosed(DestroyEvents events, int clientPort, int serverPort)
        throws InterruptedException {
      List<Socket> closed = new ArrayList<>();
      Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
      while (closed.size() < 2 && Instant.now().isBefore(deadline)) {
        for (Socket socket : events.drain()) {
          if ((socket.localPort() == clientPort && socket.remotePort() == serverPort)
              || (socket.localPort() == serverPort && socket.remotePort() == clientPort)) {
            closed.add(socket);
          }
        }
        Thread.sleep(20);
      }
      return closed;
    }
  }

  /** A loopback connection on which the client sent N bytes and the server answered M. */
  private static final class Pair implements AutoCloseable {
    final ServerSocket listener;
    final java.net.Socket client;
    final java.net.Socket server;

    private Pair(ServerSocket listener, java.net.Socket client, java.net.Socket server) {
      this.listener = listener;
      this.client = client;
      this.server = server;
    }

    static Pair open() throws IOException {
      InetAddress loopback = InetAddress.getByName("127.0.0.1");
      ServerSocket listener = new ServerSocket(0, 1, loopback);
      java.net.Socket client = new java.net.Socket(loopback, listener.getLocalPort());
      java.net.Socket server = listener.accept();
      client.getOutputStream().write(new byte[OnThisKernel.N]);
      server.getInputStream().readNBytes(OnThisKernel.N);
      server.getOutputStream().write(new byte[OnThisKernel.M]);
      client.getInputStream().readNBytes(OnThisKernel.M);
      return new Pair(listener, client, server);
    }

    /** The kernel's view of one end, once all it sent is acked. */
    Socket find(java.net.Socket end) throws IOException, InterruptedException {
      Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
      Socket found = null;
      while (Instant.now().isBefore(deadline)) {
        for (Socket socket : new NetlinkSocketSource().read().sockets()) {
          // Both ports: on a busy machine another connection may share one of them.
          if (socket.localPort() == end.getLocalPort()
              && socket.remotePort() == end.getPort()
              && socket.counters() != null) {
            found = socket;
          }
        }
        if (found != null
            && found.counters().bytesAcked() + found.counters().bytesRetrans()
                >= found.counters().bytesSent()) {
          return found;
        }
        Thread.sleep(10);
      }
      return found;
    }

    /** Closes one side, lets the other read the end and close in turn. */
    void close(boolean clientFirst) throws IOException {
      java.net.Socket first = clientFirst ? client : server;
      java.net.Socket second = clientFirst ? server : client;
      first.close();
      assertThat(second.getInputStream().read()).isEqualTo(-1);
      second.close();
    }

    @Override
    public void close() throws IOException {
      client.close();
      server.close();
      listener.close();
    }
  }
}
