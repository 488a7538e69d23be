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
 * socket's byte counters. Each {@link #read()} opens its own netlink socket, so it reads the
 * network namespace of the calling thread. The table's sockets are held as {@link SocketColumns},
 * whose arrays a table given back ({@link #recycle}) lends to a later read: so that they fit, one
 * source reads one namespace (the exporter's, or one other namespace each).
 */
public final class NetlinkSocketSource implements SocketSource {

  /** Netlink hands a dump out in datagrams of at most 32 KiB; one more page for slack. */
  private static final int RECEIVE_BUFFER = 36 * 1024;

  /** TCP of both families in one request; UDP has no such request, so one per family. */
  private static final List<Dump> DUMPS =
      List.of(
          new Dump(0, InetDiag.IPPROTO_TCP, Protocol.TCP),
          new Dump(InetDiag.AF_INET, InetDiag.IPPROTO_UDP, Protocol.UDP),
          new Dump(InetDiag.AF_INET6, InetDiag.IPPROTO_UDP, Protocol.UDP));

  /** Tables given back, for the next reads of this source's namespace to fill. */
  private static final int SPARE_TABLES = 2;

  /** One receive buffer per reading thread, whichever source (namespace) it reads. */
  private static final ThreadLocal<ByteBuffer> BUFFERS =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(RECEIVE_BUFFER));

  /** A table read on one thread (another namespace's) is given back on another. */
  private final Queue<SocketColumns> spare = new ConcurrentLinkedQueue<>();

  /** Sockets in the table last read (by any thread): how large to make new columns. */
  private volatile int lastSize;

  @Override
  public SocketTable read() throws NetlinkException {
    SocketColumns sockets = spare.poll();
    if (sockets == null) {
      // A little more than the last table (or, for the first, than the kernel counts), so that a
      // table of about that size does not double its arrays to hold a few more sockets.
      int expected = lastSize > 0 ? lastSize : Sockstat.expectedSockets();
      sockets = new SocketColumns(expected + expected / 8);
    }
    int[] malformed = {0};
    ByteBuffer buffer = BUFFERS.get();
    RecentAddresses addresses = new RecentAddresses();
    try (NetlinkSocket netlink = NetlinkSocket.open(0)) {
      int sequence = 0;
      for (Dump dump : DUMPS) {
        netlink.send(
            dump.protocol() == Protocol.TCP
                ? InetDiag.tcpDumpRequest(InetDiag.ALL_STATES, ++sequence)
                : InetDiag.dumpRequest(
                    dump.family(), dump.ipProtocol(), InetDiag.ALL_STATES, ++sequence));
        InetDiag.Outcome outcome;
        do {
          netlink.receive(buffer);
          outcome =
              InetDiag.decode(buffer, dump.protocol(), addresses, sockets, () -> malformed[0]++);
        } while (outcome == InetDiag.Outcome.MORE);
      }
    }
    lastSize = sockets.size();
    return new SocketTable(sockets, malformed[0]);
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
   */
  private record Dump(int family, int ipProtocol, Protocol protocol) {}
}
