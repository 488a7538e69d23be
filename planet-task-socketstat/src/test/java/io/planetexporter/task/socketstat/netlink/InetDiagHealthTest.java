package io.planetexporter.task.socketstat.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.task.socketstat.health.ConnectFailure;
import io.planetexporter.task.socketstat.table.Socket;
import io.planetexporter.task.socketstat.table.SocketState;
import io.planetexporter.task.socketstat.table.TcpInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The health fields of real sock_diag messages (the fixtures' README has their values). */
class InetDiagHealthTest {

  private static Socket decoded(String name) throws IOException {
    try (InputStream in =
        InetDiagHealthTest.class.getResourceAsStream("InetDiagHealthTest/" + name)) {
      return InetDiagTest.decode(ByteBuffer.wrap(in.readAllBytes())).get(0);
    }
  }

  @Test
  void aRefusedConnectGotOneSegmentBackAndIsRefused() throws IOException {
    Socket socket = decoded("refused-client.bin");

    assertThat(socket.state()).isEqualTo(SocketState.CLOSE);
    assertThat(socket.remotePort()).isEqualTo(1);
    assertThat(socket.counters()).isEqualTo(new TcpInfo(0, 0, 0, 0, 0, 1, 0, 1, 1));
    assertThat(ConnectFailure.of(socket.counters(), true)).isEqualTo(ConnectFailure.REFUSED);
  }

  @Test
  void aConnectGivenUpBeforeAnyRetransmissionGotNothingBackAndTimedOut() throws IOException {
    Socket socket = decoded("timeout-client.bin");

    assertThat(socket.remotePort()).isEqualTo(9);
    assertThat(socket.counters()).isEqualTo(new TcpInfo(0, 0, 0, 0, 0, 1, 0, 1, 0));
    assertThat(ConnectFailure.of(socket.counters(), true)).isEqualTo(ConnectFailure.TIMEOUT);
  }

  @Test
  void aConnectGivenUpAfterRetransmissionsTimedOut() throws IOException {
    Socket socket = decoded("timeout-retransmitted-client.bin");

    assertThat(socket.counters().segmentsOut()).isEqualTo(3);
    assertThat(ConnectFailure.of(socket.counters(), true)).isEqualTo(ConnectFailure.TIMEOUT);
  }

  @Test
  void aFullListenerSaysItsAcceptQueueAndItsLimit() throws IOException {
    Socket socket = decoded("full-listener.bin");

    assertThat(socket.state()).isEqualTo(SocketState.LISTEN);
    assertThat(socket.counters().receiveQueue()).isEqualTo(3);
    assertThat(socket.counters().sendQueue()).isEqualTo(2);
  }
}
