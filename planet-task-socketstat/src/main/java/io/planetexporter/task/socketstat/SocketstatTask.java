package io.planetexporter.task.socketstat;

import io.planetexporter.api.Task;
import io.planetexporter.api.TaskContext;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.InputStream;
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

  private final Path procRoot;
  private final TaskContext context;
  private final SocketOwners owners;
  private final PeerFold peerFold = new PeerFold();

  /** Built once per run, so that a scrape only hands it over. */
  private final AtomicReference<MetricSnapshots> latest =
      new AtomicReference<>(MetricSnapshots.of());

  SocketstatTask(Path procRoot, TaskContext context, ProcessSource processes) {
    this.procRoot = procRoot;
    this.context = context;
    this.owners = new SocketOwners(processes);
  }

  @Override
  public void run() throws IOException {
    long start = System.nanoTime();
    KernelSettings kernel = KernelSettings.read(procRoot);
    SocketTable table = readSocketTable();
    long[] inodes = new long[table.sockets().size()];
    int inodeCount = 0;
    for (Socket socket : table.sockets()) {
      if (socket.inode() != 0) {
        inodes[inodeCount++] = socket.inode();
      }
    }
    SocketOwners.Lookup lookup = owners.lookup(Arrays.copyOf(inodes, inodeCount));
    Map<Protocol, Integer> unresolved = new EnumMap<>(Protocol.class);
    for (Socket socket : table.sockets()) {
      if (socket.inode() != 0 && lookup.owners().get(socket.inode()) == null) {
        unresolved.merge(socket.protocol(), 1, Integer::sum);
      }
    }
    Labeler labeler = new Labeler(IpAddress.of(context.host().primaryIp()), context.inventory());
    Dependencies dependencies =
        Classifier.classify(table.sockets(), lookup.owners(), kernel, labeler);
    PeerFold.Folded folded =
        peerFold.fold(
            dependencies,
            (long) context.config().maxSeries()
                - dependencies.servers().size()
                - SocketstatMetrics.maxOwnSeries(),
            context.clock().instant());
    latest.set(
        SocketstatMetrics.of(
            new SocketstatResult(
                folded.dependencies(),
                countByState(table.sockets()),
                unresolved,
                table.unparsableLines(),
                lookup.stats(),
                (System.nanoTime() - start) / 1e9,
                folded.foldedPeers())));
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

  /** All four files; one that does not exist (a kernel without IPv6) counts as empty. */
  private SocketTable readSocketTable() throws IOException {
    List<Socket> sockets = new ArrayList<>();
    int unparsable = 0;
    int found = 0;
    for (SourceFile source : SOURCES) {
      Path file = procRoot.resolve(source.path());
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
      throw new IOException("no socket table under " + procRoot + " (net/tcp, net/udp, ...)");
    }
    return new SocketTable(sockets, unparsable);
  }

  @Override
  public MetricSnapshots snapshot() {
    return latest.get();
  }

  private record SourceFile(String path, Protocol protocol) {}
}
