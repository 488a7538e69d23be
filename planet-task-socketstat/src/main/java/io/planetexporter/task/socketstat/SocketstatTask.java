package io.planetexporter.task.socketstat;

import io.planetexporter.api.Task;
import io.planetexporter.api.TaskContext;
import io.planetexporter.task.support.PrimaryIp;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads the socket table under a proc root and serves upstreams, downstreams and listeners.
 *
 * <p>With {@link Namespaces#ALL}, the tables of every other network namespace that holds a process
 * are read too, each through {@code /proc/<pid>/net} of one of its processes, and classified on
 * their own (a listener serves only its namespace's connections) with that namespace's primary IP
 * standing for its loopback and wildcard addresses. A namespace whose processes all exit before its
 * table is read is skipped and counted.
 *
 * <p>Each run builds the metrics it found and publishes them; a scrape returns the latest. A failed
 * run (no socket table at all) keeps serving the last good result.
 */
final class SocketstatTask implements Task {

  private static final Logger logger = Logger.getLogger(SocketstatTask.class.getName());

  private static final List<SourceFile> SOURCES =
      List.of(
          new SourceFile("net/tcp", Protocol.TCP),
          new SourceFile("net/tcp6", Protocol.TCP),
          new SourceFile("net/udp", Protocol.UDP),
          new SourceFile("net/udp6", Protocol.UDP));

  /** Which network namespaces a collection reads. */
  enum Namespaces {
    /** Every namespace that holds a process. */
    ALL,
    /** Only the exporter's own. */
    OWN
  }

  private final Path procRoot;
  private final TaskContext context;
  private final ProcessSource processes;
  private final Namespaces namespaces;
  private final SocketOwners owners;

  /** Built once per run, so that a scrape only hands it over. */
  private final AtomicReference<MetricSnapshots> latest =
      new AtomicReference<>(MetricSnapshots.of());

  SocketstatTask(
      Path procRoot, TaskContext context, ProcessSource processes, Namespaces namespaces) {
    this.procRoot = procRoot;
    this.context = context;
    this.processes = processes;
    this.namespaces = namespaces;
    this.owners = new SocketOwners(processes);
  }

  @Override
  public void run() throws IOException {
    long start = System.nanoTime();
    KernelSettings kernel = KernelSettings.read(procRoot);
    List<NamespaceTable> tables = new ArrayList<>();
    tables.add(
        new NamespaceTable(readSocketTable(procRoot), IpAddress.of(context.host().primaryIp())));
    int skippedNamespaces = namespaces == Namespaces.ALL ? readOtherNamespaces(tables) : 0;
    List<Socket> all = new ArrayList<>();
    int unparsable = 0;
    for (NamespaceTable table : tables) {
      all.addAll(table.sockets().sockets());
      unparsable += table.sockets().unparsableLines();
    }
    long[] inodes = new long[all.size()];
    int inodeCount = 0;
    for (Socket socket : all) {
      if (socket.inode() != 0) {
        inodes[inodeCount++] = socket.inode();
      }
    }
    SocketOwners.Lookup lookup = owners.lookup(Arrays.copyOf(inodes, inodeCount));
    Map<Protocol, Integer> unresolved = new EnumMap<>(Protocol.class);
    for (Socket socket : all) {
      if (socket.inode() != 0 && lookup.owners().get(socket.inode()) == null) {
        unresolved.merge(socket.protocol(), 1, Integer::sum);
      }
    }
    List<Dependencies> byNamespace = new ArrayList<>();
    for (NamespaceTable table : tables) {
      Labeler labeler = new Labeler(table.primaryIp(), context.inventory());
      byNamespace.add(
          Classifier.classify(table.sockets().sockets(), lookup.owners(), kernel, labeler));
    }
    latest.set(
        SocketstatMetrics.of(
            new SocketstatResult(
                Dependencies.merge(byNamespace),
                countByState(all),
                unresolved,
                unparsable,
                lookup.stats(),
                tables.size(),
                skippedNamespaces,
                (System.nanoTime() - start) / 1e9)));
  }

  /**
   * Adds the table of every other namespace, read through one of its processes (the next one when
   * that exits meanwhile).
   *
   * @return how many namespaces were skipped because none of their processes could be read
   */
  private int readOtherNamespaces(List<NamespaceTable> tables) throws IOException {
    int skipped = 0;
    for (NetNamespaces.NetNamespace namespace : NetNamespaces.discover(processes).others()) {
      NamespaceTable table = null;
      for (int pid : namespace.pids()) {
        Path process = procRoot.resolve(Integer.toString(pid));
        try {
          SocketTable sockets = readSocketTable(process);
          Path net = process.resolve("net");
          InetAddress primaryIp = PrimaryIp.select(net, NamespaceInterfaces.read(net));
          table = new NamespaceTable(sockets, IpAddress.of(primaryIp));
          break;
        } catch (NoSuchFileException e) {
          logger.log(Level.FINE, "process " + pid + " exited before its namespace was read", e);
        } catch (IOException e) {
          logger.log(Level.FINE, "cannot read network namespace " + namespace.inode(), e);
          break;
        }
      }
      if (table == null) {
        skipped++;
      } else {
        tables.add(table);
      }
    }
    return skipped;
  }

  private static Map<Protocol, Map<SocketState, Integer>> countByState(List<Socket> sockets) {
    int[][] counts = new int[Protocol.values().length][SocketState.values().length];
    for (Socket socket : sockets) {
      counts[socket.protocol().ordinal()][socket.state().ordinal()]++;
    }
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

  /**
   * All four files under {@code base} ({@code /proc} or {@code /proc/<pid>}); one that does not
   * exist (a kernel without IPv6) counts as empty.
   *
   * @throws NoSuchFileException when none exists (under {@code /proc/<pid>}: the process exited)
   */
  private static SocketTable readSocketTable(Path base) throws IOException {
    List<Socket> sockets = new ArrayList<>();
    int unparsable = 0;
    int found = 0;
    for (SourceFile source : SOURCES) {
      Path file = base.resolve(source.path());
      try (InputStream in = Files.newInputStream(file)) {
        SocketTable table = ProcNetParser.parse(in, source.protocol());
        sockets.addAll(table.sockets());
        unparsable += table.unparsableLines();
        found++;
      } catch (NoSuchFileException e) {
        logger.log(Level.FINE, "no " + file, e);
      }
    }
    if (found == 0) {
      throw new NoSuchFileException(
          base.toString(), null, "no socket table under it (net/tcp, net/udp, ...)");
    }
    return new SocketTable(sockets, unparsable);
  }

  @Override
  public MetricSnapshots snapshot() {
    return latest.get();
  }

  private record SourceFile(String path, Protocol protocol) {}

  /** The sockets of one network namespace, and the IP its loopback and wildcard addresses mean. */
  private record NamespaceTable(SocketTable sockets, IpAddress primaryIp) {}
}
