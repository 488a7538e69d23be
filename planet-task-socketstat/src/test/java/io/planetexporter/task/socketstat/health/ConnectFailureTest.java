package io.planetexporter.task.socketstat.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.task.socketstat.table.TcpInfo;
import org.junit.jupiter.api.Test;

/** The rules on {@code tcp_info} values; {@code InetDiagHealthTest} applies them to captures. */
class ConnectFailureTest {

  /** A closed socket's tcp_info with these counters, as a destroy event gives it. */
  private static TcpInfo closed(long acked, long received, long segmentsOut, long segmentsIn) {
    return new TcpInfo(acked, received, 0, 0, 0, 0, 0, segmentsOut, segmentsIn);
  }

  @Test
  void aConnectionWhoseSynWasAckedDidNotFail() {
    assertThat(ConnectFailure.of(closed(1, 0, 2, 1), true)).isNull();
    assertThat(ConnectFailure.of(closed(100_002, 7_001, 80, 60), true)).isNull();
  }

  @Test
  void anAcceptedConnectionIsNeverAConnectFailure() {
    // A server that sent nothing and was reset: nothing acked, segments came.
    assertThat(ConnectFailure.of(closed(0, 0, 1, 2), false)).isNull();
  }

  @Test
  void aConnectionThatReceivedPayloadDidNotFail() {
    assertThat(ConnectFailure.of(closed(0, 10, 1, 2), true)).isNull();
  }

  @Test
  void tellsRefusedFromTimeoutBySegmentsIn() {
    assertThat(ConnectFailure.of(closed(0, 0, 1, 1), true)).isEqualTo(ConnectFailure.REFUSED);
    assertThat(ConnectFailure.of(closed(0, 0, 7, 0), true)).isEqualTo(ConnectFailure.TIMEOUT);
  }

  @Test
  void isOtherWithoutSegmentCountsOrWithoutASyn() {
    assertThat(ConnectFailure.of(new TcpInfo(0, 0, -1, -1, 0), true))
        .isEqualTo(ConnectFailure.OTHER);
    assertThat(ConnectFailure.of(closed(0, 0, 0, 0), true)).isEqualTo(ConnectFailure.OTHER);
  }
}
