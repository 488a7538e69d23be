package io.planetexporter.web;

import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;

/**
 * Makes a connection's protocol (TLS, then HTTP; or HTTP) only once its first bytes have arrived.
 * Until then the connection holds its socket and a small placeholder, not a TLS engine and an HTTP
 * connection with its parser (4 to 5 KiB of heap): issue 20's attack keeps 1,000 connections that
 * never send a byte, each opened again as soon as the idle timeout closes it.
 */
final class FirstBytesConnectionFactory extends AbstractConnectionFactory {

  private final ConnectionFactory next;

  /** {@code next} makes the connection once there are bytes; the connector must also hold it. */
  FirstBytesConnectionFactory(ConnectionFactory next) {
    super("first-bytes");
    this.next = next;
  }

  @Override
  public Connection newConnection(Connector connector, EndPoint endPoint) {
    return configure(new Waiting(connector, endPoint), connector, endPoint);
  }

  /** Waits for the first bytes (or the end), then hands the socket to the real connection. */
  private final class Waiting extends AbstractConnection {

    private final Connector connector;

    Waiting(Connector connector, EndPoint endPoint) {
      super(endPoint, connector.getExecutor());
      this.connector = connector;
    }

    @Override
    public void onOpen() {
      super.onOpen();
      fillInterested();
    }

    @Override
    public void onFillable() {
      // Nothing was read: the real connection reads the first bytes (or the end) itself.
      getEndPoint().upgrade(next.newConnection(connector, getEndPoint()));
    }
  }
}
