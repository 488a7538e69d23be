package io.planetexporter.task.socketstat.table;

/**
 * The byte counters of one TCP socket's {@code tcp_info}, as the kernel keeps them: in sequence
 * space, so a SYN and a FIN each count one byte where they apply; and the few other fields that
 * tell an edge's health.
 *
 * @param bytesAcked {@code tcpi_bytes_acked}: sequence space this host sent that the peer acked
 * @param bytesReceived {@code tcpi_bytes_received}: sequence space received in order
 * @param bytesSent {@code tcpi_bytes_sent}: payload sent, retransmissions included; -1 when the
 *     kernel's {@code tcp_info} ends before it (older than 4.19)
 * @param bytesRetrans {@code tcpi_bytes_retrans}: payload retransmitted; -1 as {@code bytesSent}
 * @param receiveQueue {@code idiag_rqueue}: sequence space received but not read by the
 *     application, a FIN included; for a listener, the connections waiting to be accepted
 * @param sendQueue {@code idiag_wqueue}: for a listener, the limit of its accept queue (its
 *     backlog); for a connection, sequence space sent but not acked
 * @param rttMicros {@code tcpi_rtt}: the smoothed round-trip time in microseconds, 0 before the
 *     first sample
 * @param segmentsOut {@code tcpi_segs_out}: segments sent, SYN included; -1 when the kernel's
 *     {@code tcp_info} ends before it (older than 4.2)
 * @param segmentsIn {@code tcpi_segs_in}: segments received, a reset included; -1 as {@code
 *     segmentsOut}
 */
public record TcpInfo(
    long bytesAcked,
    long bytesReceived,
    long bytesSent,
    long bytesRetrans,
    long receiveQueue,
    long sendQueue,
    long rttMicros,
    long segmentsOut,
    long segmentsIn) {

  public TcpInfo {
    if (bytesAcked < 0 || bytesReceived < 0) {
      throw new IllegalArgumentException(
          "negative counter: acked " + bytesAcked + ", received " + bytesReceived);
    }
  }

  /** Byte counters alone, as the byte counts' tests write them: no queue limit, RTT or segments. */
  public TcpInfo(
      long bytesAcked, long bytesReceived, long bytesSent, long bytesRetrans, long receiveQueue) {
    this(bytesAcked, bytesReceived, bytesSent, bytesRetrans, receiveQueue, 0, 0, -1, -1);
  }

  /** Whether the kernel said how much payload it sent, retransmissions apart. */
  public boolean knowsPayloadSent() {
    return bytesSent >= 0 && bytesRetrans >= 0;
  }
}
