package io.planetexporter.task.socketstat.classify;

import io.planetexporter.net.IpAddress;
import io.planetexporter.net.LongMap;
import io.planetexporter.task.socketstat.health.AcceptQueue;
import io.planetexporter.task.socketstat.owner.ProcessInfo;
import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.Socket;
import io.planetexporter.task.socketstat.table.SocketColumns;
import io.planetexporter.task.socketstat.table.SocketState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * Sorts sockets into listeners, downstreams and upstreams (SPEC §4), as addresses and processes:
 * naming them (the inventory, label values) is {@link Labeler}'s, once per distinct {@link
 * UnnamedEdge}.
 *
 * <ul>
 *   <li>A listener is a TCP socket in LISTEN, or a bound, unconnected UDP socket on a port outside
 *       the ephemeral range.
 *   <li>A peered socket (TCP with a peer, in any state but LISTEN; connected UDP) is a downstream
 *       when a listener of its protocol on its local port is bound to its local address, to the
 *       wildcard of its family, or to {@code ::} for an IPv4 address unless {@code bindv6only}. Its
 *       port is the local port, its process its own or else the listener's. Every other peered
 *       socket is an upstream: the remote port, its own process or none.
 * </ul>
 */
public final class Classifier {

  private final KernelSettings kernel;
  private final LongFunction<ProcessInfo> owners;
  private final SocketColumns sockets;
  private final LongMap<ArrayList<Listener>> listenersByPort = new LongMap<>(0);
  private final List<Listener> listeners = new ArrayList<>();

  /** The labeler {@link #named} names with. */
  private Labeler namedBy;

  private Series<Edge> named;

  /** The row of each of {@link #listeners}, in the same order. */
  private final List<Integer> listenerRows = new ArrayList<>();

  private Classifier(
      SocketColumns sockets,
      ProcessInfo[] socketOwners,
      LongFunction<ProcessInfo> owners,
      KernelSettings kernel) {
    this.sockets = sockets;
    this.kernel = kernel;
    this.owners = owners;
    for (int i = 0; i < sockets.size(); i++) {
      Protocol protocol = sockets.protocol(i);
      int localPort = sockets.localPort(i);
      if (isListener(sockets, i, kernel)) {
        Listener listener =
            new Listener(sockets.localAddress(i), localPort, protocol, socketOwners[i]);
        long key = portKey(protocol, localPort);
        ArrayList<Listener> samePort = listenersByPort.get(key);
        if (samePort == null) {
          samePort = new ArrayList<>();
          listenersByPort.put(key, samePort);
        }
        samePort.add(listener);
        listeners.add(listener);
        listenerRows.add(i);
      }
    }
  }

  /**
   * The classifier of one table: its listeners decide the direction of its peered sockets, and of
   * sockets that closed since it was read.
   *
   * @param socketOwners the process of each socket of the table, at its row, null where it has none
   *     known (the same as {@code owners} says of its inode)
   * @param owners the process of a socket inode, or null where none is known (asked only for
   *     sockets that closed since the table was read)
   */
  public static Classifier of(
      SocketColumns sockets,
      ProcessInfo[] socketOwners,
      LongFunction<ProcessInfo> owners,
      KernelSettings kernel) {
    return new Classifier(sockets, socketOwners, owners, kernel);
  }

  /**
   * The classifier of one table, its sockets' processes looked up by inode.
   *
   * @param owners the process of each socket inode that has a known one
   */
  public static Classifier of(
      List<Socket> sockets, LongMap<ProcessInfo> owners, KernelSettings kernel) {
    ProcessInfo[] socketOwners = new ProcessInfo[sockets.size()];
    for (int i = 0; i < socketOwners.length; i++) {
      socketOwners[i] = owners.get(sockets.get(i).inode());
    }
    return new Classifier(SocketColumns.of(sockets), socketOwners, owners::get, kernel);
  }

  /** The series of a table, named by {@code labeler}. */
  static EdgesAndListeners classify(
      List<Socket> sockets, LongMap<ProcessInfo> owners, KernelSettings kernel, Labeler labeler) {
    Classifier classifier = of(sockets, owners, kernel);
    SocketColumns rows = classifier.sockets;
    for (int i = 0; i < rows.size(); i++) {
      classifier.edge(rows, i, owners.get(rows.inode(i)), labeler);
    }
    return classifier.series(labeler);
  }

  /** The listeners of the table, in its order. */
  List<Listener> listeners() {
    return listeners;
  }

  /**
   * The edge of row {@code row} of {@code rows} (of this classifier's table, or another part of the
   * same namespace's), named by {@code labeler}, or null for a socket that is not peered.
   *
   * @param process the socket's own process, or null
   */
  public Edge edge(SocketColumns rows, int row, ProcessInfo process, Labeler labeler) {
    if (labeler != namedBy) {
      namedBy = labeler;
      named = labeler::edge; // one object per labeler, not per socket
    }
    return classify(
        rows.protocol(row),
        rows.state(row),
        rows.localAddress(row),
        rows.localPort(row),
        rows.remoteAddress(row),
        rows.remotePort(row),
        rows.hasCounters(row),
        process,
        named);
  }

  /**
   * The series {@code labeler} named for the sockets given to {@link #edge}, and those of this
   * classifier's listeners.
   */
  public EdgesAndListeners series(Labeler labeler) {
    // Many sockets share an unnamed edge, named once: only the few distinct edges are hashed and
    // sorted.
    Set<EdgeLabels> upstreams = new HashSet<>();
    Set<EdgeLabels> downstreams = new HashSet<>();
    for (Edge edge : labeler.edges()) {
      (edge.direction() == Direction.DOWNSTREAM ? downstreams : upstreams).add(edge.labels());
    }
    Set<ListenerLabels> listenerLabels = new HashSet<>();
    for (Listener listener : listeners) {
      listenerLabels.add(labeler.labels(listener));
    }
    return new EdgesAndListeners(
        sorted(upstreams, EdgeLabels.ORDER),
        sorted(downstreams, EdgeLabels.ORDER),
        sorted(listenerLabels, ListenerLabels.ORDER));
  }

  /**
   * The accept queue of each TCP listener series of the table, named by {@code labeler}: those of
   * its sockets added up. Only sockets with {@code tcp_info} (the netlink source) have one.
   */
  public Map<ListenerLabels, AcceptQueue> acceptQueues(Labeler labeler) {
    Map<ListenerLabels, AcceptQueue> queues = new HashMap<>();
    for (int i = 0; i < listeners.size(); i++) {
      int row = listenerRows.get(i);
      if (sockets.protocol(row) == Protocol.TCP && sockets.hasCounters(row)) {
        queues.merge(
            labeler.labels(listeners.get(i)),
            new AcceptQueue(sockets.receiveQueue(row), sockets.sendQueue(row)),
            AcceptQueue::plus);
      }
    }
    return queues;
  }

  /**
   * The unnamed edge a peered socket belongs to, or null for a socket that is not peered. The
   * socket may be one of the table or one that closed since (its process is then found only through
   * the listener or an inode the owners know).
   */
  public UnnamedEdge unnamedEdge(Socket socket) {
    return classify(
        socket.protocol(),
        socket.state(),
        socket.localAddress(),
        socket.localPort(),
        socket.remoteAddress(),
        socket.remotePort(),
        socket.counters() != null,
        owners.apply(socket.inode()),
        UnnamedEdge::new);
  }

  /**
   * What {@code series} makes of a socket's unnamed edge (a {@link UnnamedEdge}, or its {@link
   * Edge} straight away, so that the sockets of a table make no unnamed edge object each), or null
   * for a socket that is not peered. Takes the socket as its fields: a table's rows are read
   * without making a socket.
   *
   * @param process the socket's own process, or null
   */
  private <T> T classify(
      Protocol protocol,
      SocketState state,
      IpAddress local,
      int localPort,
      IpAddress remote,
      int remotePort,
      boolean hasCounters,
      ProcessInfo process,
      Series<T> series) {
    if (!isPeered(protocol, state, remotePort, hasCounters)) {
      return null;
    }
    Listener listener = servingListener(protocol, local, localPort);
    if (listener != null) {
      return series.of(
          Direction.DOWNSTREAM,
          local,
          remote,
          localPort,
          protocol,
          process == null ? listener.process() : process);
    }
    return series.of(Direction.UPSTREAM, local, remote, remotePort, protocol, process);
  }

  /**
   * Makes what stands for an unnamed edge from its parts ({@link UnnamedEdge#UnnamedEdge}, {@link
   * Labeler#edge}).
   */
  @FunctionalInterface
  private interface Series<T> {
    public T of(
        Direction direction,
        IpAddress local,
        IpAddress remote,
        int port,
        Protocol protocol,
        ProcessInfo process);
  }

  private static <T> List<T> sorted(Set<T> items, Comparator<T> order) {
    List<T> list = new ArrayList<>(items);
    list.sort(order);
    return list;
  }

  /**
   * Whether row {@code i} of {@code sockets} is a listener: a TCP socket in LISTEN, or a bound,
   * unconnected UDP socket on a port outside the ephemeral range.
   */
  public static boolean isListener(SocketColumns sockets, int i, KernelSettings kernel) {
    if (sockets.protocol(i) == Protocol.TCP) {
      return sockets.state(i) == SocketState.LISTEN;
    }
    int localPort = sockets.localPort(i);
    return sockets.state(i) == SocketState.CLOSE
        && sockets.remotePort(i) == 0
        && localPort != 0
        && !kernel.isEphemeral(localPort);
  }

  private static boolean isPeered(
      Protocol protocol, SocketState state, int remotePort, boolean hasCounters) {
    if (remotePort == 0) {
      return false;
    }
    if (protocol == Protocol.TCP) {
      // A TCP socket in CLOSE is peered only as a destroy event announces it: with counters.
      return state != SocketState.LISTEN && (state != SocketState.CLOSE || hasCounters);
    }
    return state == SocketState.ESTABLISHED;
  }

  /** The listener that accepted (or would accept) a socket's traffic, or null. */
  private Listener servingListener(Protocol protocol, IpAddress local, int localPort) {
    ArrayList<Listener> candidates = listenersByPort.get(portKey(protocol, localPort));
    if (candidates == null) {
      return null;
    }
    Listener best = null;
    int bestRank = 0;
    // By index: an iterator would be an object per socket, which C1 does not optimize away (the
    // most garbage of a collection with the unnamed edges of Labeler, JFR at 80,000 sockets).
    for (int i = 0; i < candidates.size(); i++) {
      Listener listener = candidates.get(i);
      int rank = rank(listener.bind(), local);
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
    if (UnnamedEdge.sameAddress(bound, local)) {
      return 3;
    }
    boolean ipv4 = local.isIpv4();
    if (UnnamedEdge.sameAddress(bound, ipv4 ? IpAddress.IPV4_ANY : IpAddress.IPV6_ANY)) {
      return 2;
    }
    return ipv4 && !kernel.bindV6Only() && UnnamedEdge.sameAddress(bound, IpAddress.IPV6_ANY)
        ? 1
        : 0;
  }

  private static boolean isBetterOwner(Listener listener, Listener current) {
    ProcessInfo candidate = listener.process();
    ProcessInfo incumbent = current.process();
    return candidate != null && (incumbent == null || candidate.pid() < incumbent.pid());
  }

  private static long portKey(Protocol protocol, int port) {
    return (long) (protocol.ordinal() + 1) << 16 | port; // never 0, which LongMap refuses
  }
}
