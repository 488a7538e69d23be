package io.planetexporter.task.socketstat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The socket table from {@code NETLINK_SOCK_DIAG} dumps: TCP and UDP, IPv4 and IPv6, with each TCP
 * socket's byte counters. Each {@link #read()} opens its own netlink socket, so it reads the
 * network namespace of the calling thread.
 */
final class NetlinkSocketSource implements SocketSource {

  /** Netlink hands a dump out in datagrams of at most 32 KiB; one more page for slack. */
  private static final int RECEIVE_BUFFER = 36 * 1024;

  private static final List<Dump> DUMPS =
      List.of(
          new Dump(InetDiag.AF_INET, InetDiag.IPPROTO_TCP, Protocol.TCP),
          new Dump(InetDiag.AF_INET6, InetDiag.IPPROTO_TCP, Protocol.TCP),
          new Dump(InetDiag.AF_INET, InetDiag.IPPROTO_UDP, Protocol.UDP),
          new Dump(InetDiag.AF_INET6, InetDiag.IPPROTO_UDP, Protocol.UDP));

  private final ThreadLocal<ByteBuffer> buffers =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(RECEIVE_BUFFER));

  @Override
  public SocketTable read() throws NetlinkException {
    List<Socket> sockets = new ArrayList<>();
    int[] malformed = {0};
    ByteBuffer buffer = buffers.get();
    RecentAddresses addresses = new RecentAddresses();
    try (NetlinkSocket netlink = NetlinkSocket.open(0)) {
      int sequence = 0;
      for (Dump dump : DUMPS) {
        netlink.send(
            InetDiag.dumpRequest(
                dump.family(), dump.ipProtocol(), InetDiag.ALL_STATES, ++sequence));
        InetDiag.Outcome outcome;
        do {
          netlink.receive(buffer);
          outcome =
              InetDiag.decode(
                  buffer, dump.protocol(), addresses, sockets::add, () -> malformed[0]++);
        } while (outcome == InetDiag.Outcome.MORE);
      }
    }
    return new SocketTable(sockets, malformed[0]);
  }

  @Override
  public String name() {
    return "netlink";
  }

  private record Dump(int family, int ipProtocol, Protocol protocol) {}
}
