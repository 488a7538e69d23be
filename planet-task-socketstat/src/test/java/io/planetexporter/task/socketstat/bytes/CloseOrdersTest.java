package io.planetexporter.task.socketstat.bytes;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.task.socketstat.classify.Direction;
import io.planetexporter.task.socketstat.classify.Edge;
import io.planetexporter.task.socketstat.classify.EdgeLabels;
import io.planetexporter.task.socketstat.netlink.CapturedMessages;
import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.Socket;
import io.planetexporter.task.socketstat.table.SocketState;
import io.planetexporter.task.socketstat.table.TcpInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every order of closing a connection, on messages captured from this machine's kernel (6.18) by
 * {@code CaptureCloseOrders} (see the README beside the fixtures): each end's payload, counted by
 * the ledger from its dump while live and its destroy event once closed, is exactly what the client
 * sent (A) and the server answered (B), whoever closed first and however.
 */
class CloseOrdersTest {

  private static final long A = 12_345;
  private static final long B = 54_321;
  private static final long UNREAD = 1_000;
  private static final Instant T0 = Instant.parse("2026-12-06T00:00:00Z");

  private static ByteBuffer fixture(String path) throws IOException {
    try (InputStream in = CloseOrdersTest.class.getResourceAsStream("CloseOrdersTest/" + path)) {
      return in == null ? null : ByteBuffer.wrap(in.readAllBytes());
    }
  }

  private static Edge edge(Direction direction) {
    return new Edge(
        direction,
        new EdgeLabels("", "", "127.0.0.1", "localhost", 0, Protocol.TCP, "", "", "", ""));
  }

  /**
   * One end's payload as the ledger counts it: seen live in one collection (or, opened and closed
   * between two, not), then announced closed (or vanished, when the event is dropped) in the next.
   *
   * @return null when nothing was counted
   */
  private static ByteCount counted(String order, String end, boolean seenLive) throws IOException {
    boolean client = end.equals("client");
    Edge edge = edge(client ? Direction.UPSTREAM : Direction.DOWNSTREAM);
    Socket live = CapturedMessages.socket(fixture(order + "/" + end + "-live.bin"));
    Socket closed =
        CapturedMessages.announced(
            fixture(order + "/" + end + "-destroyed.bin"),
            fixture(order + "/" + end + "-left.bin"));
    ByteCountLedger ledger = new ByteCountLedger(Duration.ofMinutes(10));
    ledger.begin(T0);
    if (seenLive) {
      TcpInfo counters = live.counters();
      ledger.see(
          live.cookie(),
          edge,
          TcpByteCount.liveEgress(
              counters.bytesAcked(),
              counters.bytesSent(),
              counters.bytesRetrans(),
              live.state(),
              client),
          TcpByteCount.liveIngress(counters.bytesReceived(), live.state()),
          0,
          0);
    }
    ledger.end(List.of());
    ledger.begin(T0.plusSeconds(15));
    ledger.end(
        closed == null
            ? List.of()
            : List.of(
                new ByteCountLedger.Closed(
                    closed.cookie(),
                    edge,
                    TcpByteCount.closed(closed.counters(), client, closed.state()),
                    0,
                    null)));
    return ledger.totals().get(edge);
  }

  /**
   * @param clientEvent whether the client's destroy event counts (not when it aborted: the kernel
   *     clears its counters, so it counts only as last seen live)
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "client-closes-first,                          true,  true",
    "client-closes-first-server-late,              true,  true",
    "client-shuts-down-drains-closes,              true,  true",
    "server-closes-first,                          true,  true",
    "client-aborts,                                false, true",
    "server-aborts,                                true,  false",
    "no-time-wait/client-closes-first,             true,  true",
    "no-time-wait/client-shuts-down-drains-closes, true,  true",
    "no-time-wait/server-closes-first,             true,  true",
    "no-time-wait/client-aborts,                   false, true",
    "no-time-wait/server-aborts,                   true,  false",
  })
  void countsEachEndsPayloadExactly(String order, boolean clientEvent, boolean serverEvent)
      throws IOException {
    ByteCount client = new ByteCount(A, B);
    ByteCount server = new ByteCount(B, A);

    assertThat(counted(order, "client", true)).isEqualTo(client);
    assertThat(counted(order, "server", true)).isEqualTo(server);
    // Opened and closed between two collections: from the destroy event alone.
    assertThat(counted(order, "client", false)).isEqualTo(clientEvent ? client : null);
    assertThat(counted(order, "server", false)).isEqualTo(serverEvent ? server : null);
  }

  /**
   * Closed with bytes unread: the kernel resets the connection. They were received and acked all
   * the same, so they count. Java shuts the sending side down before it closes (unless {@code
   * SO_LINGER} is 0), so the server received a FIN before the reset, while its own FIN was never
   * acked, as after a reset without one: it counts that FIN as a byte, the one case of a reset the
   * counters cannot tell apart.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"client-closes-with-unread-data", "no-time-wait/client-closes-with-unread-data"})
  void countsBytesLeftUnreadAsReceived(String order) throws IOException {
    for (boolean seenLive : new boolean[] {true, false}) {
      assertThat(counted(order, "client", seenLive)).isEqualTo(new ByteCount(A, B + UNREAD));
      assertThat(counted(order, "server", seenLive)).isEqualTo(new ByteCount(B + UNREAD, A + 1));
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "client-closes-first-server-late, client, FIN_WAIT2",
    "client-shuts-down-drains-closes, client, TIME_WAIT",
    "server-closes-first,             client, CLOSE",
    "client-closes-first-server-late, server, CLOSE",
    "no-time-wait/client-shuts-down-drains-closes, client, CLOSE",
  })
  void announcesWhatTheConnectionWasLeftIn(String order, String end, SocketState left)
      throws IOException {
    Socket closed =
        CapturedMessages.announced(
            fixture(order + "/" + end + "-destroyed.bin"),
            fixture(order + "/" + end + "-left.bin"));

    assertThat(closed.state()).isEqualTo(left);
    assertThat(closed.counters().receiveQueue()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"client-aborts, client", "server-aborts, server"})
  void dropsTheEventOfTheSideThatAbortedWhichTheKernelClears(String order, String end)
      throws IOException {
    Socket event = CapturedMessages.socket(fixture(order + "/" + end + "-destroyed.bin"));

    assertThat(event.remotePort()).isZero();
    assertThat(event.counters().bytesAcked()).isZero();
    assertThat(event.counters().bytesReceived()).isZero();
    assertThat(CapturedMessages.announced(fixture(order + "/" + end + "-destroyed.bin"), null))
        .isNull();
  }

  /**
   * The limit: with no time-wait socket (the host out of them), a socket that closed first and died
   * before the peer's FIN looks like one the peer closed first, so its destroy event takes one byte
   * too many off (seen live before, it counts right); and the peer's FIN, answered with a reset, is
   * never acked, so the peer's socket looks reset after the client's FIN: one too many.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"no-time-wait/client-closes-first-server-late"})
  void isOneByteOffWhenNothingWasLeftBehindToSayTheFinCameLate(String order) throws IOException {
    assertThat(counted(order, "client", false)).isEqualTo(new ByteCount(A, B - 1));
    assertThat(counted(order, "client", true)).isEqualTo(new ByteCount(A, B));
    assertThat(counted(order, "server", false)).isEqualTo(new ByteCount(B, A + 1));
  }

  /**
   * The race no rule can win, re-enacted from captured messages. A socket that closed first dies
   * when its FIN is acked, leaving a {@code FIN_WAIT2} time-wait socket; if the peer's FIN reaches
   * that one between the destroy event and its lookup, the lookup finds {@code TIME_WAIT} (its
   * timer reset to 60 s, as the answer of a socket that got the FIN itself), here the answer
   * captured after a shutdown, drain and close. The two events then agree in all the rule reads
   * (state, nothing unread, this host's FIN acked, what was left behind) and their counters differ
   * by exactly the byte in question: the peer's FIN, in {@code bytes_received} of the drained
   * socket only. Nothing else the kernel sends tells them apart, so the one that died before the
   * FIN counts one ingress byte short; a collection that saw it live at its full count makes up for
   * it.
   */
  @Test
  void isOneByteShortWhenThePeersFinReachesTheTimeWaitSocketBeforeTheLookup() throws IOException {
    ByteBuffer timeWait = fixture("client-shuts-down-drains-closes/client-left.bin");
    Socket diedBeforeTheFin =
        CapturedMessages.announced(
            fixture("client-closes-first-server-late/client-destroyed.bin"), timeWait.duplicate());
    Socket drained =
        CapturedMessages.announced(
            fixture("client-shuts-down-drains-closes/client-destroyed.bin"), timeWait.duplicate());

    assertThat(diedBeforeTheFin.state())
        .isEqualTo(drained.state())
        .isEqualTo(SocketState.TIME_WAIT);
    assertThat(diedBeforeTheFin.counters().receiveQueue())
        .isEqualTo(drained.counters().receiveQueue())
        .isZero();
    assertThat(diedBeforeTheFin.counters().bytesAcked())
        .isEqualTo(drained.counters().bytesAcked())
        .isEqualTo(A + 2); // the SYN and the FIN: acked
    assertThat(diedBeforeTheFin.counters().bytesSent()).isEqualTo(drained.counters().bytesSent());
    assertThat(diedBeforeTheFin.counters().bytesReceived()).isEqualTo(B);
    assertThat(drained.counters().bytesReceived()).isEqualTo(B + 1);

    assertThat(TcpByteCount.closed(drained.counters(), true, drained.state()))
        .isEqualTo(new ByteCount(A, B));
    assertThat(TcpByteCount.closed(diedBeforeTheFin.counters(), true, diedBeforeTheFin.state()))
        .isEqualTo(new ByteCount(A, B - 1));
  }
}
