package io.planetexporter.task.socketstat;

import io.planetexporter.net.IpAddress;
import io.planetexporter.net.LongMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Sorts sockets into listeners, downstreams and upstreams (SPEC §4).
 *
 * <ul>
 *   <li>A listener is a TCP socket in LISTEN, or a bound, unconnected UDP socket on a port outside
 *       the ephemeral range.
 *   <li>A peered socket (TCP with a peer, in any state but LISTEN; connected UDP) is a downstream
 *       when a listener of its protocol on its local port is bound to its local address, to the
 *       wildcard of its family, or to {@code ::} for an IPv4 address unless {@code bindv6only}. Its
 *       port is the local port, its process its own or else the listener's. Every other peered
 *       socket is an upstream: the remote port, its own process or "".
 * </ul>
 */
final class Classifier {

  private final KernelSettings kernel;
  private final LongMap<ProcessInfo> owners;
  private final Labeler labeler;
  private final List<Socket> sockets;
  private final LongMap<List<Socket>> listenersByPort = new LongMap<>(0);
  private final Set<Server> servers = new HashSet<>();

  private Classifier(
      List<Socket> sockets, LongMap<ProcessInfo> owners, KernelSettings kernel, Labeler labeler) {
    this.sockets = sockets;
    this.kernel = kernel;
    this.owners = owners;
    this.labeler = labeler;
    for (Socket socket : sockets) {
      if (isListener(socket)) {
        long key = portKey(socket.protocol(), socket.localPort());
        List<Socket> samePort = listenersByPort.get(key);
        if (samePort == null) {
          samePort = new ArrayList<>();
          listenersByPort.put(key, samePort);
        }
        samePort.add(socket);
        ProcessInfo owner = owners.get(socket.inode());
        Workload workload = workload(owner);
        servers.add(
            new Server(
                labeler.local(socket.localAddress()).hostgroup(),
                socket.localAddress().withPort(socket.localPort()),
                name(owner),
                socket.localPort(),
                socket.protocol(),
                workload.container(),
                workload.unit()));
      }
    }
  }

  /**
   * The classifier of one table: its listeners decide the direction of its peered sockets, and of
   * sockets that closed since it was read.
   *
   * @param owners the process of each socket inode that has a known one
   */
  static Classifier of(
      List<Socket> sockets, LongMap<ProcessInfo> owners, KernelSettings kernel, Labeler labeler) {
    return new Classifier(sockets, owners, kernel, labeler);
  }

  /** The series of a table. */
  static Dependencies classify(
      List<Socket> sockets, LongMap<ProcessInfo> owners, KernelSettings kernel, Labeler labeler) {
    return of(sockets, owners, kernel, labeler).dependencies((socket, edge) -> {});
  }

  /**
   * The series of the table this classifier was made of, giving each peered socket with its edge to
   * {@code peered} on the way (so that the byte counters need no second classification).
   */
  Dependencies dependencies(BiConsumer<Socket, Edge> peered) {
    // Many sockets share a label set: dedupe by hash, then sort the few distinct ones.
    Set<Peer> upstreams = new HashSet<>();
    Set<Peer> downstreams = new HashSet<>();
    for (Socket socket : sockets) {
      Edge edge = edge(socket);
      if (edge != null) {
        peered.accept(socket, edge);
        (edge.direction() == Direction.DOWNSTREAM ? downstreams : upstreams).add(edge.peer());
      }
    }
    return new Dependencies(
        sorted(upstreams, Peer.ORDER),
        sorted(downstreams, Peer.ORDER),
        sorted(servers, Server.ORDER));
  }

  /**
   * The series a peered socket belongs to, or null for a socket that is not peered. The socket may
   * be one of the table or one that closed since (its process is then found only through the
   * listener or an inode the owners know).
   */
  Edge edge(Socket socket) {
    if (!isPeered(socket)) {
      return null;
    }
    Socket listener = servingListener(socket);
    ProcessInfo process = owners.get(socket.inode());
    if (listener != null) {
      return new Edge(
          Direction.DOWNSTREAM,
          peer(
              socket,
              socket.localPort(),
              process == null ? owners.get(listener.inode()) : process));
    }
    return new Edge(Direction.UPSTREAM, peer(socket, socket.remotePort(), process));
  }

  private static <T> List<T> sorted(Set<T> items, Comparator<T> order) {
    List<T> list = new ArrayList<>(items);
    list.sort(order);
    return list;
  }

  private boolean isListener(Socket socket) {
    if (socket.protocol() == Protocol.TCP) {
      return socket.state() == SocketState.LISTEN;
    }
    return socket.state() == SocketState.CLOSE
        && socket.remotePort() == 0
        && socket.localPort() != 0
        && !kernel.isEphemeral(socket.localPort());
  }

  private static boolean isPeered(Socket socket) {
    if (socket.remotePort() == 0) {
      return false;
    }
    if (socket.protocol() == Protocol.TCP) {
      // A TCP socket in CLOSE is peered only as a destroy event announces it: with counters.
      return socket.state() != SocketState.LISTEN
          && (socket.state() != SocketState.CLOSE || socket.counters() != null);
    }
    return socket.state() == SocketState.ESTABLISHED;
  }

  /** The listener that accepted (or would accept) this socket's traffic, or null. */
  private Socket servingListener(Socket socket) {
    List<Socket> candidates = listenersByPort.get(portKey(socket.protocol(), socket.localPort()));
    if (candidates == null) {
      return null;
    }
    Socket best = null;
    int bestRank = 0;
    for (Socket listener : candidates) {
      int rank = rank(listener.localAddress(), socket.localAddress());
      // Among equals (SO_REUSEPORT), prefer one whose process is known, then the lowest pid.
      if (rank > bestRank || (rank == bestRank && rank > 0 && isBetterOwner(listener, best))) {
        best = listener;
        bestRank = rank;
      }
    }
    return best;
  }

  /** 3: bound to the address; 2: its family's wildcard; 1: {@code ::} taking IPv4; 0: no. */
  private int rank(IpAddress bound, IpAddress local) {
    if (bound.equals(local)) {
      return 3;
    }
    boolean ipv4 = local.isIpv4();
    if (bound.equals(ipv4 ? IpAddress.IPV4_ANY : IpAddress.IPV6_ANY)) {
      return 2;
    }
    return ipv4 && !kernel.bindV6Only() && bound.equals(IpAddress.IPV6_ANY) ? 1 : 0;
  }

  private boolean isBetterOwner(Socket listener, Socket current) {
    ProcessInfo candidate = owners.get(listener.inode());
    ProcessInfo incumbent = owners.get(current.inode());
    return candidate != null && (incumbent == null || candidate.pid() < incumbent.pid());
  }

  /**
   * @param process the process the series is labelled with, or null
   */
  private Peer peer(Socket socket, int port, ProcessInfo process) {
    Labeler.Names local = labeler.local(socket.localAddress());
    Labeler.Names remote = labeler.remote(socket.remoteAddress());
    Workload workload = workload(process);
    return new Peer(
        local.hostgroup(),
        remote.hostgroup(),
        local.address(),
        remote.address(),
        port,
        socket.protocol(),
        name(process),
        workload.container(),
        workload.unit());
  }

  private static String name(ProcessInfo process) {
    return process == null ? "" : process.name();
  }

  private static Workload workload(ProcessInfo process) {
    return process == null ? Workload.NONE : process.workload();
  }

  private static long portKey(Protocol protocol, int port) {
    return (long) (protocol.ordinal() + 1) << 16 | port; // never 0, which LongMap refuses
  }
}
