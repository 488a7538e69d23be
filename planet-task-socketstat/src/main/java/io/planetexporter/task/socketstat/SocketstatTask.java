package io.planetexporter.task.socketstat;

import io.planetexporter.api.Task;
import io.planetexporter.api.TaskContext;
import io.planetexporter.net.IpAddress;
import io.planetexporter.net.NetInterface;
import io.planetexporter.net.PrimaryIp;
import io.planetexporter.task.socketstat.bytes.ByteCounting;
import io.planetexporter.task.socketstat.classify.EdgesAndListeners;
import io.planetexporter.task.socketstat.classify.KernelSettings;
import io.planetexporter.task.socketstat.classify.Labeler;
import io.planetexporter.task.socketstat.classify.ListenerLabels;
import io.planetexporter.task.socketstat.health.AcceptQueue;
import io.planetexporter.task.socketstat.metrics.AddressOwner;
import io.planetexporter.task.socketstat.metrics.EdgeFolding;
import io.planetexporter.task.socketstat.metrics.SocketstatMetrics;
import io.planetexporter.task.socketstat.metrics.SocketstatResult;
import io.planetexporter.task.socketstat.namespace.NamespaceInterfaces;
import io.planetexporter.task.socketstat.namespace.NamespaceSource;
import io.planetexporter.task.socketstat.namespace.NetNamespaces;
import io.planetexporter.task.socketstat.owner.OwnerLookup;
import io.planetexporter.task.socketstat.owner.ProcessSource;
import io.planetexporter.task.socketstat.owner.SocketOwners;
import io.planetexporter.task.socketstat.owner.Workload;
import io.planetexporter.task.socketstat.runtime.RuntimeRoots;
import io.planetexporter.task.socketstat.runtime.WorkloadNames;
import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.Socket;
import io.planetexporter.task.socketstat.table.SocketSource;
import io.planetexporter.task.socketstat.table.SocketState;
import io.planetexporter.task.socketstat.table.SocketTable;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads the socket table from its source and serves upstreams, downstreams and listeners.
 *
 * <p>Unless told to read only its own, the tables of every other network namespace that holds a
 * process are read too, each through one of its processes ({@link NamespaceSource}), and classified
 * on their own (a listener serves only its namespace's connections) with that namespace's primary
 * IP standing for its loopback and wildcard addresses. A namespace whose processes all exit before
 * its table is read is skipped and counted.
 *
 * <p>Each run builds the metrics it found and publishes them; a scrape returns the latest. A failed
 * run (no socket table at all) keeps serving the last good result.
 */
final class SocketstatTask implements Task {

  private static final Logger logger = Logger.getLogger(SocketstatTask.class.getName());

  /** The inode that stands for the exporter's own namespace in {@link NamespaceTable}. */
  private static final long OWN = 0;

  private final Path procRoot;
  private final SocketSource source;
  private final TaskContext context;
  private final ProcessSource processes;
  private final NamespaceSource otherNamespaces;
  private final SocketOwners owners;
  private final WorkloadNames workloadNames;
  private final boolean containerIdLabel;
  private final ByteCounting bytes;
  private final EdgeFolding edgeFolding = new EdgeFolding();
  private final SocketstatMetrics metrics = new SocketstatMetrics();

  /** Built once per run, so that a scrape only hands it over. */
  private final AtomicReference<MetricSnapshots> latest =
      new AtomicReference<>(MetricSnapshots.of());

  /**
   * @param otherNamespaces how to read the other namespaces, or null to read only the own one
   * @param containerIdLabel whether series carry the {@code container} label
   */
  SocketstatTask(
      Path procRoot,
      SocketSource source,
      TaskContext context,
      ProcessSource processes,
      NamespaceSource otherNamespaces,
      ByteCounting bytes,
      RuntimeRoots runtimes,
      boolean containerIdLabel) {
    this.procRoot = procRoot;
    this.source = source;
    this.context = context;
    this.processes = processes;
    this.otherNamespaces = otherNamespaces;
    this.workloadNames = new WorkloadNames(runtimes);
    this.owners = new SocketOwners(processes, workloadNames);
    this.bytes = bytes;
    this.containerIdLabel = containerIdLabel;
  }

  @Override
  public void run() throws IOException {
    latest.set(metrics.of(collect()));
  }

  /**
   * One collection, as plain values: what {@link #run()} serves, and {@link Socketstat} returns.
   */
  SocketstatResult collect() throws IOException {
    long start = System.nanoTime();
    // The first collection wants every socket's process: the fds are read while the tables are.
    owners.startFirstWalk();
    KernelSettings kernel = KernelSettings.read(procRoot);
    // Taken before the table: a connection announced after it was read counts in the next one.
    List<Socket> closed = bytes.closedSinceLast();
    NamespaceCollection.Shared shared =
        new NamespaceCollection.Shared(
            kernel, owners.begin(), bytes.pass(context.clock().instant()));
    List<NamespaceCollection> namespaces = new ArrayList<>();
    try {
      NamespaceCollection own =
          new NamespaceCollection(
              OWN,
              closed,
              List.copyOf(context.host().addresses()),
              Workload.NONE,
              labeler(context.host().primaryAddress()),
              shared);
      namespaces.add(own);
      own.read(source.read(own));
      int skippedNamespaces = otherNamespaces == null ? 0 : readOtherNamespaces(namespaces, shared);
      OwnerLookup lookup = shared.owners().finish();
      for (NamespaceCollection namespace : namespaces) {
        namespace.finish(lookup);
      }
      return result(namespaces, shared, lookup, skippedNamespaces, start);
    } finally {
      for (NamespaceCollection namespace : namespaces) {
        SocketTable table = namespace.table();
        if (table == null) {
          continue;
        }
        if (namespace.inode() == OWN) {
          source.recycle(table);
        } else {
          otherNamespaces.recycle(namespace.inode(), table);
        }
      }
    }
  }

  private Labeler labeler(IpAddress primaryIp) {
    return new Labeler(primaryIp, context.inventory(), containerIdLabel);
  }

  /** What the namespaces read hold. */
  private SocketstatResult result(
      List<NamespaceCollection> namespaces,
      NamespaceCollection.Shared shared,
      OwnerLookup lookup,
      int skippedNamespaces,
      long start) {
    Map<WorkloadNames.Failure, Integer> unnamedContainers = workloadNames.sweep();
    int unparsable = 0;
    int[][] byState = new int[Protocol.values().length][SocketState.values().length];
    int[] unresolvedCounts = new int[Protocol.values().length];
    List<EdgesAndListeners> byNamespace = new ArrayList<>();
    // Each socket goes to the series its own namespace's listeners and primary IP make.
    Map<Socket, NamespaceCollection> closedIn = new IdentityHashMap<>();
    List<Socket> allClosed = new ArrayList<>();
    Map<ListenerLabels, AcceptQueue> acceptQueues = new HashMap<>();
    for (NamespaceCollection namespace : namespaces) {
      unparsable += namespace.table().unparsableLines();
      for (Protocol protocol : Protocol.values()) {
        unresolvedCounts[protocol.ordinal()] += namespace.unresolved()[protocol.ordinal()];
        for (SocketState state : SocketState.values()) {
          byState[protocol.ordinal()][state.ordinal()] +=
              namespace.byState()[protocol.ordinal()][state.ordinal()];
        }
      }
      byNamespace.add(namespace.dependencies());
      if (bytes.counted().health()) {
        namespace
            .classifier()
            .acceptQueues(namespace.labeler())
            .forEach((l, q) -> acceptQueues.merge(l, q, AcceptQueue::plus));
      }
      for (Socket socket : namespace.closed()) {
        closedIn.put(socket, namespace);
      }
      allClosed.addAll(namespace.closed());
    }
    Map<Protocol, Integer> unresolved = new EnumMap<>(Protocol.class);
    for (Protocol protocol : Protocol.values()) {
      if (unresolvedCounts[protocol.ordinal()] > 0) {
        unresolved.put(protocol, unresolvedCounts[protocol.ordinal()]);
      }
    }
    ByteCounting.Totals totals =
        shared.counting().finish(socket -> closedIn.get(socket).closedEdge(socket), allClosed);
    EdgesAndListeners dependencies = EdgesAndListeners.merge(byNamespace);
    List<AddressOwner> addresses = addressOwners(namespaces);
    EdgeFolding.Folded folded =
        edgeFolding.fold(
            dependencies,
            totals.bytes(),
            totals.health(),
            (long) context.config().maxSeries()
                - dependencies.listeners().size()
                - 2L * acceptQueues.size() // planet_server_accept_queue and its limit
                - addresses.size()
                - SocketstatMetrics.maxOwnSeries(),
            context.clock().instant());
    return new SocketstatResult(
        folded.dependencies(),
        countByState(byState),
        unresolved,
        unparsable,
        lookup.stats(),
        namespaces.size(),
        skippedNamespaces,
        (System.nanoTime() - start) / 1e9,
        folded.bytes(),
        bytes.mode(),
        bytes.events() + (otherNamespaces == null ? 0 : otherNamespaces.destroyEvents()),
        bytes.overruns() + (otherNamespaces == null ? 0 : otherNamespaces.destroyEventsLost()),
        bytes.eventBufferBytes(),
        folded.foldedPeers(),
        folded.health(),
        acceptQueues,
        addresses,
        unnamedContainers);
  }

  /**
   * Adds every other namespace, read through one of its processes (the next one when that one
   * fails: it may have exited meanwhile).
   *
   * @return how many namespaces were skipped because none of their processes could be read
   */
  private int readOtherNamespaces(
      List<NamespaceCollection> namespaces, NamespaceCollection.Shared shared) throws IOException {
    int skipped = 0;
    Set<Long> present = new HashSet<>();
    for (NetNamespaces.NetNamespace namespace : NetNamespaces.discover(processes).others()) {
      present.add(namespace.inode());
      List<Socket> closed = otherNamespaces.closedSinceLast(namespace.inode());
      NamespaceCollection read = null;
      for (int pid : namespace.pids()) {
        Path net = procRoot.resolve(pid + "/net");
        try {
          List<NetInterface> interfaces = NamespaceInterfaces.read(net);
          InetAddress primaryIp = PrimaryIp.select(net, interfaces);
          List<IpAddress> addresses = new ArrayList<>();
          for (NetInterface nif : interfaces) {
            nif.addresses().forEach(address -> addresses.add(IpAddress.of(address)));
          }
          NamespaceCollection collection =
              new NamespaceCollection(
                  namespace.inode(),
                  closed,
                  addresses,
                  owner(pid),
                  labeler(IpAddress.of(primaryIp)),
                  shared);
          collection.read(otherNamespaces.read(namespace.inode(), pid, collection));
          read = collection;
          break;
        } catch (IOException e) {
          logger.log(
              Level.FINE,
              "cannot read network namespace " + namespace.inode() + " through process " + pid,
              e);
        }
      }
      if (read == null) {
        skipped++;
      } else {
        namespaces.add(read);
      }
    }
    otherNamespaces.retain(present);
    return skipped;
  }

  /**
   * What the process that stands for a namespace runs as: the owner of the namespace's addresses
   * (in a pod, every container shares the pod's workload).
   */
  private Workload owner(int pid) {
    try {
      return workloadNames.apply(Workload.parse(processes.cgroup(pid)));
    } catch (IOException e) {
      logger.log(Level.FINE, "cannot read the cgroup of process " + pid, e);
      return Workload.NONE;
    }
  }

  /**
   * The owners of the namespaces' addresses; loopback and link-local ones, which many namespaces
   * share, are left out.
   */
  private List<AddressOwner> addressOwners(List<NamespaceCollection> namespaces) {
    Set<AddressOwner> owners = new TreeSet<>(AddressOwner.ORDER);
    String hostname = context.host().hostname();
    for (NamespaceCollection namespace : namespaces) {
      Workload owner = namespace.owner();
      for (IpAddress address : namespace.addresses()) {
        if (!address.isLoopback() && !address.toInetAddress().isLinkLocalAddress()) {
          owners.add(
              new AddressOwner(
                  address.toString(),
                  hostname,
                  owner.name(),
                  containerIdLabel ? owner.container() : "",
                  owner.unit()));
        }
      }
    }
    return List.copyOf(owners);
  }

  private static Map<Protocol, Map<SocketState, Integer>> countByState(int[][] counts) {
    Map<Protocol, Map<SocketState, Integer>> byState = new EnumMap<>(Protocol.class);
    for (Protocol protocol : Protocol.values()) {
      Map<SocketState, Integer> byProtocol = new EnumMap<>(SocketState.class);
      for (SocketState state : SocketState.values()) {
        int count = counts[protocol.ordinal()][state.ordinal()];
        if (count > 0) {
          byProtocol.put(state, count);
        }
      }
      byState.put(protocol, byProtocol);
    }
    return byState;
  }

  @Override
  public MetricSnapshots snapshot() {
    return latest.get();
  }

  @Override
  public Set<String> metricNames() {
    return SocketstatMetrics.NAMES;
  }

  @Override
  public String statusNote() {
    return "source "
        + source.name()
        + ", byte counters "
        + (bytes.counted().bytes() ? bytes.mode().label() : "off")
        + ", edge health "
        + (bytes.counted().health() ? bytes.mode().label() : "off");
  }

  @Override
  public void close() {
    bytes.close();
    if (otherNamespaces != null) {
      otherNamespaces.close();
    }
  }
}
