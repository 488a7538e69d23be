package io.planetexporter.task.socketstat;

import static java.util.Objects.requireNonNull;

/**
 * One line of {@code /proc/net/{tcp,tcp6,udp,udp6}}.
 *
 * @param inode the socket's inode, 0 when no file holds it (TIME_WAIT, request sockets)
 */
record Socket(
    Protocol protocol,
    IpAddress localAddress,
    int localPort,
    IpAddress remoteAddress,
    int remotePort,
    SocketState state,
    long inode) {

  Socket {
    requireNonNull(protocol, "protocol");
    requireNonNull(localAddress, "localAddress");
    requireNonNull(remoteAddress, "remoteAddress");
    requireNonNull(state, "state");
  }
}
