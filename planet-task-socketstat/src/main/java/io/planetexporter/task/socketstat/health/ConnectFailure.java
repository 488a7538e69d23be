package io.planetexporter.task.socketstat.health;

import io.planetexporter.task.socketstat.table.TcpInfo;
import java.util.Locale;

/**
 * Why a connection this host opened never became established, told from the {@code tcp_info} of its
 * destroy event (checked on this kernel, see {@code ConnectFailureTest}). Its SYN was never acked:
 * {@code bytes_acked}, which counts the SYN once it is, is 0.
 *
 * <ul>
 *   <li>A peer that refuses answers the SYN with a reset, the only segment that comes back: {@code
 *       segs_in} 1 or more.
 *   <li>No answer at all ({@code segs_in} 0) after a SYN left ({@code segs_out} 1 or more): the
 *       application gave up, or the kernel did after {@code net.ipv4.tcp_syn_retries}.
 * </ul>
 *
 * <p>What cannot be told apart: an ICMP error that ends the attempt (a firewall's {@code REJECT}
 * with {@code icmp-port-unreachable}, which the application sees as "connection refused") brings no
 * segment, so it counts as a timeout; an invalid answer that is not a reset counts as refused.
 */
public enum ConnectFailure {
  /** A reset answered the SYN. */
  REFUSED,
  /** No answer before the application or the kernel gave up. */
  TIMEOUT,
  /**
   * Neither can be told: no SYN left this host (a TCP Fast Open connect closed before its first
   * write), or a kernel older than 4.2 whose {@code tcp_info} has no segment counts.
   */
  OTHER;

  /** The {@code reason} label value. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Why the connection of a destroy event failed, or null if it did not (or was not opened here).
   *
   * @param opened whether this host opened the connection (an upstream)
   */
  public static ConnectFailure of(TcpInfo closed, boolean opened) {
    if (!opened || closed.bytesAcked() > 0 || closed.bytesReceived() > 0) {
      return null;
    }
    if (closed.segmentsIn() > 0) {
      return REFUSED;
    }
    return closed.segmentsIn() == 0 && closed.segmentsOut() > 0 ? TIMEOUT : OTHER;
  }
}
