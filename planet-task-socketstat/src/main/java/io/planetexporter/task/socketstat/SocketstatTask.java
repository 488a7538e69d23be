package io.planetexporter.task.socketstat;

import io.planetexporter.api.Task;
import io.planetexporter.api.TaskContext;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads the socket table from its source and serves upstreams, downstreams and listeners.
 *
 * <p>Each run builds the metrics it found and publishes them; a scrape returns the latest. A failed
 * run (no socket table at all) keeps serving the last good result.
 */
final class SocketstatTask implements Task {

  private final Path procRoot;
  private final SocketSource source;
  private final TaskContext context;
  private final SocketOwners owners;
  private final ByteCounting bytes;
  private final PeerFold peerFold = new PeerFold();

  /** Built once per run, so that a scrape only hands it over. */
  private final AtomicReference<MetricSnapshots> latest =
      new AtomicReference<>(MetricSnapshots.of());

  SocketstatTask(
      Path procRoot,
      SocketSource source,
      TaskContext context,
      ProcessSource processes,
      ByteCounting bytes) {
    this.procRoot = procRoot;
    this.source = source;
    this.context = context;
    this.owners = new SocketOwners(processes);
    this.bytes = bytes;
  }

  @Override
  public void run() throws IOException {
    long start = System.nanoTime();
    KernelSettings kernel = KernelSettings.read(procRoot);
    // Taken before the table, so that a TIME_WAIT socket left by a closed one is in the table.
    List<Socket> closed = bytes.closedSinceLast();
    SocketTable table = source.read();
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
    Classifier classifier = Classifier.of(table.sockets(), lookup.owners(), kernel, labeler);
    ByteCounting.Pass counting = bytes.pass();
    Dependencies dependencies = classifier.dependencies(counting::peered);
    Map<Edge, Bytes> edgeBytes =
        counting.finish(classifier, table.sockets(), closed, context.clock().instant());
    PeerFold.Folded folded =
        peerFold.fold(
            dependencies,
            edgeBytes,
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
                folded.bytes(),
                bytes.mode(),
                bytes.events(),
                bytes.overruns(),
                bytes.eventBufferBytes(),
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

  @Override
  public MetricSnapshots snapshot() {
    return latest.get();
  }

  @Override
  public String statusNote() {
    return "source " + source.name() + ", byte counters " + bytes.mode().label();
  }

  @Override
  public void close() {
    bytes.close();
  }
}
