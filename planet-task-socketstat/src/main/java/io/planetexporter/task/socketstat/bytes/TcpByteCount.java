package io.planetexporter.task.socketstat.bytes;

import io.planetexporter.task.socketstat.table.SocketState;
import io.planetexporter.task.socketstat.table.TcpInfo;
import java.util.EnumSet;
import java.util.Set;

/**
 * The payload behind a TCP socket's counters. The kernel counts in sequence space, where the SYN
 * and the FIN each take one byte (checked on this kernel, see {@code TcpByteCountTest}):
 *
 * <ul>
 *   <li>{@code bytes_acked} includes the SYN on the side that opened the connection (the SYN-ACK is
 *       not counted on the side that accepted it), and this host's FIN once the peer acked it;
 *   <li>{@code bytes_received} includes the peer's FIN once received in order, read or not.
 * </ul>
 *
 * <p>Whether this host's FIN was acked: from {@code bytes_sent - bytes_retrans} (payload sent
 * once), which {@code bytes_acked} exceeds only by that FIN; on kernels before 4.19 from the state.
 * Whether the peer's FIN was received: from the state of a live socket. A closed socket is in
 * CLOSE, which tells nothing, so its destroy event carries what its connection was left in instead
 * ({@code netlink.DestroyEvents}); the rules, each order of closing captured on this kernel ({@code
 * CloseOrdersTest}):
 *
 * <ul>
 *   <li>Something unread in the receive queue: the socket was closed (or orphaned) with it; the
 *       peer's FIN is among it exactly when this host's own FIN was acked, an orderly close (unread
 *       payload makes the kernel abort with a reset instead, sending no FIN).
 *   <li>Nothing unread, a {@code FIN_WAIT2} time-wait socket left: this host closed first and the
 *       socket died, orphaned, when its FIN was acked; the peer's FIN, if it comes, reaches the
 *       time-wait socket, not this one.
 *   <li>Nothing unread, a {@code TIME_WAIT} one left: this host sent its FIN first (shutdown or
 *       close) and the peer's FIN came while the socket still lived, and was read: the application
 *       half-closed and drained it, or received it in {@code FIN_WAIT1} or {@code CLOSING}.
 *   <li>Nothing unread, nothing left: the peer closed first (this host's FIN, acked, was the last
 *       word), or nobody did (a reset: no FIN acked either).
 * </ul>
 *
 * <p>What cannot be told, one byte off each (docs/tasks.md): a {@code FIN_WAIT2} time-wait socket
 * that the peer's FIN turned {@code TIME_WAIT} before the lookup (which follows the event by
 * microseconds, more when the event thread lags behind a burst) takes one byte too many off. No
 * rule can do better with what the kernel says: the time-wait socket keeps the FIN only as its
 * state, its timer restarted at 60 s as when a socket that received the FIN itself leaves it, and
 * the event's counters differ from such a socket's by that very byte ({@code CloseOrdersTest}
 * re-enacts the race from captured messages). The same byte is taken off, on a host out of
 * time-wait sockets ({@code net.ipv4.tcp_max_tw_buckets}), for a socket closed first and orphaned
 * before the peer's FIN, which looks like one the peer closed first (a live count seen before makes
 * up for either: the ledger keeps the larger). And a peer that sends its FIN and then resets (Java
 * closing with bytes unread shuts down its sending side first) looks like a reset without a FIN,
 * since this host's own FIN was never acked: one byte too many.
 */
final class TcpByteCount {

  /** States in which the peer's FIN has been received. */
  private static final Set<SocketState> FIN_RECEIVED =
      EnumSet.of(
          SocketState.CLOSE_WAIT, SocketState.LAST_ACK, SocketState.CLOSING, SocketState.TIME_WAIT);

  /** States in which this host's FIN has been acked. */
  private static final Set<SocketState> FIN_ACKED =
      EnumSet.of(SocketState.FIN_WAIT2, SocketState.TIME_WAIT);

  private TcpByteCount() {}

  /**
   * The payload of a live socket, in two halves so that a collection makes no object per socket.
   * This one is what this host sent.
   *
   * @param bytesAcked as {@link TcpInfo#bytesAcked()}
   * @param bytesSent as {@link TcpInfo#bytesSent()}: -1 when unknown
   * @param bytesRetrans as {@link TcpInfo#bytesRetrans()}: -1 when unknown
   * @param opened whether this host opened the connection (an upstream)
   */
  static long liveEgress(
      long bytesAcked, long bytesSent, long bytesRetrans, SocketState state, boolean opened) {
    return sentPayload(bytesAcked, bytesSent, bytesRetrans, opened, FIN_ACKED.contains(state));
  }

  /**
   * What a live socket received, the other half of its payload.
   *
   * @param bytesReceived as {@link TcpInfo#bytesReceived()}
   */
  static long liveIngress(long bytesReceived, SocketState state) {
    return Math.max(0, bytesReceived - (FIN_RECEIVED.contains(state) ? 1 : 0));
  }

  /**
   * The final payload of a socket a destroy event announced.
   *
   * @param opened whether this host opened the connection (an upstream)
   * @param leftBehind what its connection was left in: {@code TIME_WAIT}, {@code FIN_WAIT2}, or
   *     {@code CLOSE} for nothing (or not looked up: something was unread)
   */
  static ByteCount closed(TcpInfo counters, boolean opened, SocketState leftBehind) {
    // Before 4.19 the kernel does not say: a close is mostly orderly.
    boolean finAcked =
        !counters.knowsPayloadSent()
            || ackedBeyondSyn(counters.bytesAcked(), opened)
                > counters.bytesSent() - counters.bytesRetrans();
    boolean finReceived =
        leftBehind == SocketState.TIME_WAIT || (leftBehind != SocketState.FIN_WAIT2 && finAcked);
    return new ByteCount(
        sentPayload(
            counters.bytesAcked(), counters.bytesSent(), counters.bytesRetrans(), opened, finAcked),
        Math.max(0, counters.bytesReceived() - (finReceived ? 1 : 0)));
  }

  private static long sentPayload(
      long bytesAcked, long bytesSent, long bytesRetrans, boolean opened, boolean finAckedByState) {
    long acked = ackedBeyondSyn(bytesAcked, opened);
    if (bytesSent >= 0 && bytesRetrans >= 0) { // TcpInfo.knowsPayloadSent
      return Math.min(acked, Math.max(0, bytesSent - bytesRetrans));
    }
    return Math.max(0, acked - (finAckedByState ? 1 : 0));
  }

  /** What the peer acked beyond this host's SYN (which an opened connection's count includes). */
  private static long ackedBeyondSyn(long bytesAcked, boolean opened) {
    return Math.max(0, bytesAcked - (opened && bytesAcked > 0 ? 1 : 0));
  }
}
