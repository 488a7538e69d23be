package io.planetexporter.task.socketstat.classify;

import static java.util.Objects.requireNonNull;

import io.planetexporter.net.IpAddress;
import io.planetexporter.task.socketstat.owner.ProcessInfo;
import io.planetexporter.task.socketstat.table.Protocol;

/**
 * A peered socket as classification leaves it, before naming: what makes its series, as addresses
 * and a process rather than label values. Many sockets share one unnamed edge; {@link Labeler}
 * names each distinct unnamed edge once.
 *
 * <p>Equality and hash are written out: the generated ones of a record go through method handles,
 * which cost more than the rest of a socket's classification in a JVM limited to C1 (the exporter's
 * flags), and an unnamed edge is hashed once per socket. The process compares by identity first
 * (the owner cache holds one {@link ProcessInfo} per process) and hashes by pid.
 *
 * @param local the socket's local address (loopback and wildcard not yet replaced)
 * @param remote the peer's address
 * @param port the listener's port for a downstream, the peer's for an upstream
 * @param process the socket's process (for a downstream without one, its listener's), or null
 */
public record UnnamedEdge(
    Direction direction,
    IpAddress local,
    IpAddress remote,
    int port,
    Protocol protocol,
    ProcessInfo process) {

  public UnnamedEdge {
    requireNonNull(direction, "direction");
    requireNonNull(local, "local");
    requireNonNull(remote, "remote");
    requireNonNull(protocol, "protocol");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof UnnamedEdge that
        && is(that.direction, that.local, that.remote, that.port, that.protocol, that.process);
  }

  @Override
  public int hashCode() {
    return hash(direction, local, remote, port, protocol, process);
  }

  /**
   * The hash of the unnamed edge of these parts, for a lookup that makes no unnamed edge object.
   */
  static int hash(
      Direction direction,
      IpAddress local,
      IpAddress remote,
      int port,
      Protocol protocol,
      ProcessInfo process) {
    long h = local.high() * 31 + local.low();
    h = h * 31 + remote.high();
    h = h * 31 + remote.low();
    h = h * 31 + port;
    h = h * 31 + (process == null ? 0 : process.pid());
    return Long.hashCode(h) * 31 + direction.ordinal() * 2 + protocol.ordinal();
  }

  /**
   * Whether this unnamed edge has these parts (the process compared by identity first: it is
   * shared).
   */
  boolean is(
      Direction direction,
      IpAddress local,
      IpAddress remote,
      int port,
      Protocol protocol,
      ProcessInfo process) {
    return this.direction == direction
        && this.port == port
        && this.protocol == protocol
        && sameAddress(this.local, local)
        && sameAddress(this.remote, remote)
        && (this.process == process || (this.process != null && this.process.equals(process)));
  }

  static boolean sameAddress(IpAddress a, IpAddress b) {
    return a == b || (a.high() == b.high() && a.low() == b.low());
  }
}
