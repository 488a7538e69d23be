package io.planetexporter.task.socketstat.table;

import java.util.Locale;

/**
 * The {@code st} column of {@code /proc/net/*}: the kernel's {@code TCP_*} state numbers, which UDP
 * sockets reuse ({@code ESTABLISHED} when connected, {@code CLOSE} otherwise).
 */
public enum SocketState {
  ESTABLISHED,
  SYN_SENT,
  SYN_RECV,
  FIN_WAIT1,
  FIN_WAIT2,
  TIME_WAIT,
  CLOSE,
  CLOSE_WAIT,
  LAST_ACK,
  LISTEN,
  CLOSING,
  NEW_SYN_RECV,
  BOUND_INACTIVE,
  /** A number this code does not know (a newer kernel); kept so the socket is still counted. */
  UNKNOWN;

  private static final SocketState[] BY_CODE = values();

  /** The state with the kernel's number {@code code} (1 is {@code ESTABLISHED}). */
  public static SocketState ofCode(int code) {
    return code >= 1 && code < BY_CODE.length ? BY_CODE[code - 1] : UNKNOWN;
  }

  /** The {@code state} label value: the kernel's name in lower case, e.g. {@code time_wait}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
