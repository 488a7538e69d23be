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
 *   <li>{@code bytes_received} includes the peer's FIN once received in order.
 * </ul>
 *
 * <p>Whether this host's FIN was acked: from {@code bytes_sent - bytes_retrans} (payload sent
 * once), which {@code bytes_acked} exceeds only by that FIN; on kernels before 4.19 from the state.
 * Whether the peer's FIN was received: from the state of a live socket. A closed socket is in
 * CLOSE, which tells nothing: if it left a TIME_WAIT socket behind, this host closed first, and
 * then the peer's FIN reached it only if it is still unread in the receive queue (the socket was
 * orphaned); if it left none, the peer closed first, so its FIN came before this host's own was
 * acked.
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
   * @param leftTimeWait whether a TIME_WAIT socket with its addresses and ports exists after it
   */
  static ByteCount closed(TcpInfo counters, boolean opened, boolean leftTimeWait) {
    long syn = opened && counters.bytesAcked() > 0 ? 1 : 0;
    // Before 4.19 the kernel does not say: a close is mostly orderly.
    boolean finAcked =
        !counters.knowsPayloadSent()
            || counters.bytesAcked() - syn > counters.bytesSent() - counters.bytesRetrans();
    boolean finReceived = leftTimeWait ? counters.receiveQueue() > 0 : finAcked;
    return new ByteCount(
        sentPayload(
            counters.bytesAcked(), counters.bytesSent(), counters.bytesRetrans(), opened, finAcked),
        Math.max(0, counters.bytesReceived() - (finReceived ? 1 : 0)));
  }

  private static long sentPayload(
      long bytesAcked, long bytesSent, long bytesRetrans, boolean opened, boolean finAckedByState) {
    long syn = opened && bytesAcked > 0 ? 1 : 0;
    long acked = Math.max(0, bytesAcked - syn);
    if (bytesSent >= 0 && bytesRetrans >= 0) { // TcpInfo.knowsPayloadSent
      return Math.min(acked, Math.max(0, bytesSent - bytesRetrans));
    }
    return Math.max(0, acked - (finAckedByState ? 1 : 0));
  }
}
