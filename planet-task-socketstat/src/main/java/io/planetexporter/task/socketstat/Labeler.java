package io.planetexporter.task.socketstat;

import io.planetexporter.api.Host;
import io.planetexporter.api.Inventory;
import io.planetexporter.net.IpAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Names what {@link Classifier} found through one inventory: turns addresses into label values,
 * asking the inventory once per address, and each distinct {@link Link} into its {@link Edge} once.
 */
final class Labeler {

  private static final Names LOCALHOST =
      new Names(Host.LOCALHOST.domain(), Host.LOCALHOST.hostgroup());

  private final IpAddress primaryIp;
  private final Inventory inventory;
  private final Map<IpAddress, Names> names = new HashMap<>();
  private final Map<Link, Edge> edges = new HashMap<>();

  Labeler(IpAddress primaryIp, Inventory inventory) {
    this.primaryIp = primaryIp;
    this.inventory = inventory;
  }

  /** The series of a link: one {@link Edge} object for equal links. */
  Edge edge(Link link) {
    Edge edge = edges.get(link);
    if (edge == null) {
      edge = new Edge(link.direction(), peer(link));
      edges.put(link, edge);
    }
    return edge;
  }

  /** Every edge named so far, each once. */
  Collection<Edge> edges() {
    return edges.values();
  }

  /** The {@code planet_server_process} series of a listener. */
  Server server(Listener listener) {
    Workload workload = workload(listener.process());
    return new Server(
        local(listener.bind()).hostgroup(),
        listener.bind().withPort(listener.port()),
        name(listener.process()),
        listener.port(),
        listener.protocol(),
        workload.container(),
        workload.unit());
  }

  private Peer peer(Link link) {
    Names local = local(link.local());
    Names remote = remote(link.remote());
    Workload workload = workload(link.process());
    return new Peer(
        local.hostgroup(),
        remote.hostgroup(),
        local.address(),
        remote.address(),
        link.port(),
        link.protocol(),
        name(link.process()),
        workload.container(),
        workload.unit());
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
          Optional<Host> host = inventory.lookup(ip.toInetAddress());
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
