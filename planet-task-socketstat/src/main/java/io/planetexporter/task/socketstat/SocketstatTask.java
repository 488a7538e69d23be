package io.planetexporter.task.socketstat;

import io.planetexporter.api.Task;
import io.planetexporter.api.TaskContext;
import io.planetexporter.net.IpAddress;
import io.planetexporter.net.NetInterface;
import io.planetexporter.net.PrimaryIp;
import io.planetexporter.task.socketstat.bytes.ByteCounting;
import io.planetexporter.task.socketstat.classify.Classifier;
import io.planetexporter.task.socketstat.classify.Edge;
import io.planetexporter.task.socketstat.classify.EdgesAndListeners;
import io.planetexporter.task.socketstat.classify.KernelSettings;
import io.planetexporter.task.socketstat.classify.Labeler;
import io.planetexporter.task.socketstat.classify.ListenerLabels;
import io.planetexporter.task.socketstat.classify.UnnamedEdge;
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
import io.planetexporter.task.socketstat.table.SocketColumns;
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
    List<NamespaceTable> tables = new ArrayList<>();
    try {
      tables.add(
          new NamespaceTable(
              OWN,
              source.read(),
              context.host().primaryAddress(),
              closed,
              List.copyOf(context.host().addresses()),
              Workload.NONE));
      int skippedNamespaces = otherNamespaces == null ? 0 : readOtherNamespaces(tables);
      return result(kernel, tables, skippedNamespaces, start);
    } finally {
      for (NamespaceTable table : tables) {
        if (table.inode() == OWN) {
          source.recycle(table.sockets());
        } else {
          otherNamespaces.recycle(table.inode(), table.sockets());
        }
      }
    }
  }

  /** What the tables read hold. */
  private SocketstatResult result(
      KernelSettings kernel, List<NamespaceTable> tables, int skippedNamespaces, long start)
      throws IOException {
    int unparsable = 0;
    int socketCount = 0;
    for (NamespaceTable table : tables) {
      unparsable += table.sockets().unparsableLines();
      socketCount += table.sockets().sockets().size();
    }
    // The tables' inodes go straight into the lookup's own array: no copy of them is kept here.
    OwnerLookup lookup =
        owners.lookup(
            into -> {
              int at = 0;
              for (NamespaceTable table : tables) {
                table.sockets().sockets().copyInodes(into, at);
                at += table.sockets().sockets().size();
              }
            },
            socketCount);
    Map<WorkloadNames.Failure, Integer> unnamedContainers = workloadNames.sweep();
    // One pass over the sockets' columns for states and sockets without a known process.
    int[][] byState = new int[Protocol.values().length][SocketState.values().length];
    Map<Protocol, Integer> unresolved = new EnumMap<>(Protocol.class);
    int index = 0;
    for (NamespaceTable table : tables) {
      SocketColumns sockets = table.sockets().sockets();
      for (int i = 0; i < sockets.size(); i++, index++) {
        Protocol protocol = sockets.protocol(i);
        byState[protocol.ordinal()][sockets.state(i).ordinal()]++;
        if (lookup.byIndex()[index] == null && sockets.inode(i) != 0) {
          unresolved.merge(protocol, 1, Integer::sum);
        }
      }
    }
    List<EdgesAndListeners> byNamespace = new ArrayList<>();
    // Each socket goes to the series its own namespace's listeners and primary IP make.
    Map<Socket, Naming> closedClassifiers = new IdentityHashMap<>();
    List<Socket> allClosed = new ArrayList<>();
    ByteCounting.Pass counting = bytes.pass(context.clock().instant());
    Map<ListenerLabels, AcceptQueue> acceptQueues = new HashMap<>();
    int offset = 0;
    for (NamespaceTable table : tables) {
      Labeler labeler = new Labeler(table.primaryIp(), context.inventory(), containerIdLabel);
      SocketColumns sockets = table.sockets().sockets();
      Classifier classifier =
          Classifier.of(sockets, lookup.byIndex(), offset, lookup::owner, kernel);
      offset += sockets.size();
      byNamespace.add(classifier.dependencies(labeler, counting::peered));
      if (bytes.counted().health()) {
        classifier
            .acceptQueues(labeler)
            .forEach((l, q) -> acceptQueues.merge(l, q, AcceptQueue::plus));
      }
      for (Socket socket : table.closed()) {
        closedClassifiers.put(socket, new Naming(classifier, labeler));
      }
      allClosed.addAll(table.closed());
    }
    ByteCounting.Totals totals =
        counting.finish(socket -> closedClassifiers.get(socket).edge(socket), allClosed);
    EdgesAndListeners dependencies = EdgesAndListeners.merge(byNamespace);
    List<AddressOwner> addresses = addressOwners(tables);
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
        tables.size(),
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
   * Adds the table of every other namespace, read through one of its processes (the next one when
   * that one fails: it may have exited meanwhile).
   *
   * @return how many namespaces were skipped because none of their processes could be read
   */
  private int readOtherNamespaces(List<NamespaceTable> tables) throws IOException {
    int skipped = 0;
    Set<Long> present = new HashSet<>();
    for (NetNamespaces.NetNamespace namespace : NetNamespaces.discover(processes).others()) {
      present.add(namespace.inode());
      List<Socket> closed = otherNamespaces.closedSinceLast(namespace.inode());
      NamespaceTable table = null;
      for (int pid : namespace.pids()) {
        Path net = procRoot.resolve(pid + "/net");
        try {
          SocketTable sockets = otherNamespaces.read(namespace.inode(), pid);
          List<NetInterface> interfaces = NamespaceInterfaces.read(net);
          InetAddress primaryIp = PrimaryIp.select(net, interfaces);
          List<IpAddress> addresses = new ArrayList<>();
          for (NetInterface nif : interfaces) {
            nif.addresses().forEach(address -> addresses.add(IpAddress.of(address)));
          }
          table =
              new NamespaceTable(
                  namespace.inode(),
                  sockets,
                  IpAddress.of(primaryIp),
                  closed,
                  addresses,
                  owner(pid));
          break;
        } catch (IOException e) {
          logger.log(
              Level.FINE,
              "cannot read network namespace " + namespace.inode() + " through process " + pid,
              e);
        }
      }
      if (table == null) {
        skipped++;
      } else {
        tables.add(table);
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
  private List<AddressOwner> addressOwners(List<NamespaceTable> tables) {
    Set<AddressOwner> owners = new TreeSet<>(AddressOwner.ORDER);
    String hostname = context.host().hostname();
    for (NamespaceTable table : tables) {
      Workload owner = table.owner();
      for (IpAddress address : table.addresses()) {
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

  /**
   * The sockets of one network namespace (by inode, {@link #OWN} for the exporter's), the IP its
   * loopback and wildcard addresses mean, its sockets announced closed since the last collection,
   * its addresses and what owns them.
   */
  private record NamespaceTable(
      long inode,
      SocketTable sockets,
      IpAddress primaryIp,
      List<Socket> closed,
      List<IpAddress> addresses,
      Workload owner) {}

  /** How a namespace's sockets are classified and named. */
  private record Naming(Classifier classifier, Labeler labeler) {
    /** The edge of a socket, or null when it is not peered. */
    Edge edge(Socket socket) {
      UnnamedEdge unnamed = classifier.unnamedEdge(socket);
      return unnamed == null ? null : labeler.edge(unnamed);
    }
  }
}
