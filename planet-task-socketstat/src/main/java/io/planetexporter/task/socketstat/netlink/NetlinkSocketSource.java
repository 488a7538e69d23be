package io.planetexporter.task.socketstat.netlink;

import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.RecentAddresses;
import io.planetexporter.task.socketstat.table.SocketColumns;
import io.planetexporter.task.socketstat.table.SocketSource;
import io.planetexporter.task.socketstat.table.SocketTable;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The socket table from {@code NETLINK_SOCK_DIAG} dumps: TCP and UDP, IPv4 and IPv6, with each TCP
 * socket's byte counters. Each read opens its own netlink socket, so it reads the network namespace
 * of the calling thread. The listeners' part of a table is held as {@link SocketColumns}, whose
 * arrays a table given back ({@link #recycle}) lends to a later read: so that they fit, one source
 * reads one namespace (the exporter's, or one other namespace each).
 */
public final class NetlinkSocketSource implements SocketSource {

  /** Netlink hands a dump out in datagrams of at most 32 KiB; one more page for slack. */
  private static final int RECEIVE_BUFFER = 36 * 1024;

  /** {@code TCP_LISTEN}'s bit in a dump's states. */
  private static final int LISTEN = 1 << 10;

  /**
   * The dumps of a table, the part with every listener first: TCP listeners, then UDP (whose
   * listeners are unconnected sockets among the others, one request per family), then every other
   * TCP socket. A dump of only listeners walks only the kernel's listening hash, and one without
   * them only its established hash, so the two cost what one dump of all did. TCP of both families
   * in one request ({@link InetDiag#tcpDumpRequest}).
   */
  private static final List<Dump> LISTENERS =
      List.of(
          new Dump(0, InetDiag.IPPROTO_TCP, Protocol.TCP, LISTEN),
          new Dump(InetDiag.AF_INET, InetDiag.IPPROTO_UDP, Protocol.UDP, InetDiag.ALL_STATES),
          new Dump(InetDiag.AF_INET6, InetDiag.IPPROTO_UDP, Protocol.UDP, InetDiag.ALL_STATES));

  private static final Dump CONNECTIONS =
      new Dump(0, InetDiag.IPPROTO_TCP, Protocol.TCP, InetDiag.ALL_STATES & ~LISTEN);

  /** Rows a part starts with: a datagram of 32 KiB holds a few hundred sockets at most. */
  private static final int PART = 512;

  /** Tables given back, for the next reads of this source's namespace to fill. */
  private static final int SPARE_TABLES = 2;

  /** One receive buffer per reading thread, whichever source (namespace) it reads. */
  private static final ThreadLocal<ByteBuffer> BUFFERS =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(RECEIVE_BUFFER));

  /** A table read on one thread (another namespace's) is given back on another. */
  private final Queue<SocketColumns> spare = new ConcurrentLinkedQueue<>();

  /**
   * Listeners and UDP sockets in the table last read (by any thread): how large to make new ones.
   */
  private volatile int lastSize;

  /** The whole table, in one list: for a caller that wants it so (a test, the probe at start). */
  @Override
  public SocketTable read() throws NetlinkException {
    SocketColumns all = new SocketColumns(Sockstat.expectedSockets());
    SocketTable first =
        read(
            new TableParts() {
              @Override
              public void listeners(SocketColumns sockets) {
                more(sockets);
              }

              @Override
              public void more(SocketColumns sockets) {
                for (int i = 0; i < sockets.size(); i++) {
                  all.add(sockets, i);
                }
              }
            });
    recycle(first);
    return new SocketTable(all, first.unparsableLines());
  }

  /**
   * Reads the table as {@link SocketSource#read(TableParts)} says: each datagram of the TCP sockets
   * that are not listeners is a part of its own (rows from one list this source keeps), so the
   * caller need not hold them.
   */
  @Override
  public SocketTable read(TableParts parts) throws NetlinkException {
    SocketColumns listeners = spare.poll();
    if (listeners == null) {
      // A little more than the last table, so that one of about that size does not double.
      listeners = new SocketColumns(lastSize + lastSize / 8);
    }
    SocketColumns part = new SocketColumns(PART);
    int[] malformed = {0};
    ByteBuffer buffer = BUFFERS.get();
    RecentAddresses addresses = new RecentAddresses();
    try (NetlinkSocket netlink = NetlinkSocket.open(0)) {
      int sequence = 0;
      for (Dump dump : LISTENERS) {
        dump(netlink, dump, ++sequence, buffer, addresses, listeners, malformed, null);
      }
      lastSize = listeners.size();
      parts.listeners(listeners);
      dump(netlink, CONNECTIONS, ++sequence, buffer, addresses, part, malformed, parts);
    }
    return new SocketTable(listeners, malformed[0]);
  }

  /**
   * Sends one dump request and decodes its answer into {@code sockets}; with {@code parts}, each
   * datagram's sockets go to it and are cleared.
   */
  private static void dump(
      NetlinkSocket netlink,
      Dump dump,
      int sequence,
      ByteBuffer buffer,
      RecentAddresses addresses,
      SocketColumns sockets,
      int[] malformed,
      TableParts parts)
      throws NetlinkException {
    netlink.send(
        dump.protocol() == Protocol.TCP
            ? InetDiag.tcpDumpRequest(dump.states(), sequence)
            : InetDiag.dumpRequest(dump.family(), dump.ipProtocol(), dump.states(), sequence));
    InetDiag.Outcome outcome;
    do {
      netlink.receive(buffer);
      outcome = InetDiag.decode(buffer, dump.protocol(), addresses, sockets, () -> malformed[0]++);
      if (parts != null && sockets.size() > 0) {
        parts.more(sockets);
        sockets.clear();
      }
    } while (outcome == InetDiag.Outcome.MORE);
  }

  /** Keeps the columns of a table read here, to be filled by a later read. */
  @Override
  public void recycle(SocketTable table) {
    // Columns much larger than their table (it shrank, or they grew by doubling) are let go.
    SocketColumns columns = table.sockets();
    if (columns.capacity() <= columns.size() + columns.size() / 4 + 1024
        && spare.size() < SPARE_TABLES) {
      columns.clear();
      spare.add(columns);
    }
  }

  @Override
  public String name() {
    return "netlink";
  }

  /**
   * @param family the family of a {@code SOCK_DIAG_BY_FAMILY} dump; 0 for TCP's, which gives both
   * @param states the states asked for, a bit each
   */
  private record Dump(int family, int ipProtocol, Protocol protocol, int states) {}
}
