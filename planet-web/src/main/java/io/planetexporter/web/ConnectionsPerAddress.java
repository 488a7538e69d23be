package io.planetexporter.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.SocketChannelEndPoint;

/**
 * The cap of open connections per remote address, so that one host cannot take them all: a
 * connection beyond it is closed as soon as it is opened, before a byte of TLS or HTTP is read.
 * Only the connection on the socket is counted (over TLS, the HTTP connection inside it is not).
 */
final class ConnectionsPerAddress implements Connection.Listener {

  private static final Logger logger = Logger.getLogger(ConnectionsPerAddress.class.getName());

  private final int max;
  private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();
  // Each counted connection's address: a closed socket no longer tells its remote address.
  private final Map<Connection, InetAddress> counted = new ConcurrentHashMap<>();

  ConnectionsPerAddress(int max) {
    this.max = max;
  }

  @Override
  public void onOpened(Connection connection) {
    InetAddress address = address(connection);
    if (address == null) {
      return;
    }
    counted.put(connection, address);
    if (open.merge(address, 1, Integer::sum) > max) {
      logger.log(
          Level.FINE,
          "connection refused: too many from one address",
          new Object[] {"remote", address.getHostAddress(), "max", max});
      connection.getEndPoint().close();
    }
  }

  @Override
  public void onClosed(Connection connection) {
    InetAddress address = counted.remove(connection);
    if (address != null) {
      open.computeIfPresent(address, (key, count) -> count == 1 ? null : count - 1);
    }
  }

  private static InetAddress address(Connection connection) {
    if (!(connection.getEndPoint() instanceof SocketChannelEndPoint endPoint)) {
      return null;
    }
    SocketAddress remote = endPoint.getRemoteSocketAddress();
    return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }
}
