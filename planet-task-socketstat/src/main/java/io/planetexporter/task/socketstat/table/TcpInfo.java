package io.planetexporter.task.socketstat.table;

/**
 * The byte counters of one TCP socket's {@code tcp_info}, as the kernel keeps them: in sequence
 * space, so a SYN and a FIN each count one byte where they apply.
 *
 * @param bytesAcked {@code tcpi_bytes_acked}: sequence space this host sent that the peer acked
 * @param bytesReceived {@code tcpi_bytes_received}: sequence space received in order
 * @param bytesSent {@code tcpi_bytes_sent}: payload sent, retransmissions included; -1 when the
 *     kernel's {@code tcp_info} ends before it (older than 4.19)
 * @param bytesRetrans {@code tcpi_bytes_retrans}: payload retransmitted; -1 as {@code bytesSent}
 * @param receiveQueue {@code idiag_rqueue}: sequence space received but not read by the
 *     application, a FIN included
 */
public record TcpInfo(
    long bytesAcked, long bytesReceived, long bytesSent, long bytesRetrans, long receiveQueue) {

  public TcpInfo {
    if (bytesAcked < 0 || bytesReceived < 0) {
      throw new IllegalArgumentException(
          "negative counter: acked " + bytesAcked + ", received " + bytesReceived);
    }
  }

  /** Whether the kernel said how much payload it sent, retransmissions apart. */
  public boolean knowsPayloadSent() {
    return bytesSent >= 0 && bytesRetrans >= 0;
  }
}
