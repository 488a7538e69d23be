package io.planetexporter.task.socketstat.table;

import static java.util.Objects.requireNonNull;

import io.planetexporter.net.IpAddress;

/**
 * One socket of the table, as either source reports it.
 *
 * @param inode the socket's inode, 0 when no file holds it (TIME_WAIT, request sockets)
 * @param cookie the kernel's socket cookie, unique for the life of the kernel; 0 when the source
 *     does not know it ({@code /proc/net})
 * @param counters the TCP byte counters of {@code tcp_info}, or null when unknown (UDP, TIME_WAIT
 *     and request sockets, the {@code /proc} source, a kernel whose {@code tcp_info} is too short)
 */
public record Socket(
    Protocol protocol,
    IpAddress localAddress,
    int localPort,
    IpAddress remoteAddress,
    int remotePort,
    SocketState state,
    long inode,
    long cookie,
    TcpInfo counters) {

  public Socket {
    requireNonNull(protocol, "protocol");
    requireNonNull(localAddress, "localAddress");
    requireNonNull(remoteAddress, "remoteAddress");
    requireNonNull(state, "state");
  }

  /** A socket as the tests write it: no cookie or counters. */
  public Socket(
      Protocol protocol,
      IpAddress localAddress,
      int localPort,
      IpAddress remoteAddress,
      int remotePort,
      SocketState state,
      long inode) {
    this(protocol, localAddress, localPort, remoteAddress, remotePort, state, inode, 0, null);
  }
}
