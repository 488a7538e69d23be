package io.planetexporter.task.socketstat.classify;

import io.planetexporter.api.Host;
import io.planetexporter.api.Inventory;
import io.planetexporter.net.IpAddress;
import io.planetexporter.task.socketstat.owner.ProcessInfo;
import io.planetexporter.task.socketstat.owner.Workload;
import io.planetexporter.task.socketstat.table.Protocol;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Names what {@link Classifier} found through one inventory: turns addresses into label values,
 * asking the inventory once per address, and each distinct {@link UnnamedEdge} into its {@link
 * Edge} once.
 */
public final class Labeler {

  private static final Names LOCALHOST =
      new Names(Host.LOCALHOST.domain(), Host.LOCALHOST.hostgroup());

  /**
   * Unnamed edges remembered by {@link #edge(Direction, IpAddress, IpAddress, int, Protocol,
   * ProcessInfo)}: room for a few thousand, as a table lists its sockets in the kernel's hash
   * order, not by edge, and each miss makes an unnamed edge (with 256 slots, 2,560 edges of 80,000
   * sockets missed most of the time: an object per socket).
   */
  private static final int RECENT_BITS = 12;

  private final IpAddress primaryIp;
  private final Inventory inventory;
  private final boolean containerIdLabel;
  private final Map<IpAddress, Names> names = new HashMap<>();
  private final Map<UnnamedEdge, Edge> edges = new HashMap<>();

  private final UnnamedEdge[] recentUnnamed = new UnnamedEdge[1 << RECENT_BITS];
  private final Edge[] recentEdges = new Edge[1 << RECENT_BITS];

  /**
   * @param containerIdLabel whether series carry the container id ({@code container}); without it,
   *     a workload's series stay the same across its containers' restarts
   */
  public Labeler(IpAddress primaryIp, Inventory inventory, boolean containerIdLabel) {
    this.primaryIp = primaryIp;
    this.inventory = inventory;
    this.containerIdLabel = containerIdLabel;
  }

  /**
   * The series of the unnamed edge of these parts, as {@link #edge(UnnamedEdge)} gives it. A
   * table's sockets come here one by one, and most share their unnamed edge with a socket shortly
   * before (a pool of connections to one service, the accepted connections of one listener): those
   * are answered from a small cache by their parts, with no unnamed edge object made and no lookup
   * in the map of every unnamed edge.
   */
  public Edge edge(
      Direction direction,
      IpAddress local,
      IpAddress remote,
      int port,
      Protocol protocol,
      ProcessInfo process) {
    int hash = UnnamedEdge.hash(direction, local, remote, port, protocol, process);
    int slot = (hash * 0x9E3779B9) >>> (32 - RECENT_BITS);
    UnnamedEdge recent = recentUnnamed[slot];
    if (recent != null && recent.is(direction, local, remote, port, protocol, process)) {
      return recentEdges[slot];
    }
    UnnamedEdge unnamed = new UnnamedEdge(direction, local, remote, port, protocol, process);
    Edge edge = edge(unnamed);
    recentUnnamed[slot] = unnamed;
    recentEdges[slot] = edge;
    return edge;
  }

  /** The series of an unnamed edge: one {@link Edge} object for equal unnamed edges. */
  public Edge edge(UnnamedEdge unnamed) {
    Edge edge = edges.get(unnamed);
    if (edge == null) {
      edge = new Edge(unnamed.direction(), labels(unnamed));
      edges.put(unnamed, edge);
    }
    return edge;
  }

  /** Every edge named so far, each once. */
  Collection<Edge> edges() {
    return edges.values();
  }

  /** The {@code planet_server_process} series of a listener. */
  ListenerLabels labels(Listener listener) {
    Workload workload = workload(listener.process());
    return new ListenerLabels(
        local(listener.bind()).hostgroup(),
        listener.bind().withPort(listener.port()),
        name(listener.process()),
        listener.port(),
        listener.protocol(),
        container(workload),
        workload.unit(),
        workload.name());
  }

  private EdgeLabels labels(UnnamedEdge unnamed) {
    Names local = local(unnamed.local());
    Names remote = remote(unnamed.remote());
    Workload workload = workload(unnamed.process());
    return new EdgeLabels(
        local.hostgroup(),
        remote.hostgroup(),
        local.address(),
        remote.address(),
        unnamed.port(),
        unnamed.protocol(),
        name(unnamed.process()),
        container(workload),
        workload.unit(),
        workload.name());
  }

  private String container(Workload workload) {
    return containerIdLabel ? workload.container() : "";
  }

  private static String name(ProcessInfo process) {
    return process == null ? "" : process.name();
  }

  private static Workload workload(ProcessInfo process) {
    return process == null ? Workload.NONE : process.workload();
  }

  /** Names of a local address; loopback and wildcard addresses stand for the primary IP. */
  Names local(IpAddress address) {
    return lookup(address.isLoopback() || address.isWildcard() ? primaryIp : address);
  }

  /** Names of a peer; a loopback peer is always {@code localhost}. */
  Names remote(IpAddress address) {
    return address.isLoopback() ? LOCALHOST : lookup(address);
  }

  private Names lookup(IpAddress address) {
    return names.computeIfAbsent(
        address,
        ip -> {
          Optional<Host> host = inventory.lookup(ip);
          String domain = host.map(Host::domain).orElse("");
          return new Names(
              domain.isEmpty() ? ip.toString() : domain, host.map(Host::hostgroup).orElse(""));
        });
  }

  /**
   * The labels of one address.
   *
   * @param address the inventory domain, else the IP
   * @param hostgroup the inventory hostgroup, else empty
   */
  record Names(String address, String hostgroup) {}
}
