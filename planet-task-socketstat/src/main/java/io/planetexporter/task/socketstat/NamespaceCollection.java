package io.planetexporter.task.socketstat;

import io.planetexporter.net.IpAddress;
import io.planetexporter.task.socketstat.bytes.ByteCounting;
import io.planetexporter.task.socketstat.classify.Classifier;
import io.planetexporter.task.socketstat.classify.Edge;
import io.planetexporter.task.socketstat.classify.EdgesAndListeners;
import io.planetexporter.task.socketstat.classify.KernelSettings;
import io.planetexporter.task.socketstat.classify.Labeler;
import io.planetexporter.task.socketstat.classify.UnnamedEdge;
import io.planetexporter.task.socketstat.owner.OwnerLookup;
import io.planetexporter.task.socketstat.owner.ProcessInfo;
import io.planetexporter.task.socketstat.owner.SocketOwners;
import io.planetexporter.task.socketstat.owner.Workload;
import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.Socket;
import io.planetexporter.task.socketstat.table.SocketColumns;
import io.planetexporter.task.socketstat.table.SocketSource.TableParts;
import io.planetexporter.task.socketstat.table.SocketState;
import io.planetexporter.task.socketstat.table.SocketTable;
import java.util.Arrays;
import java.util.List;

/**
 * One collection of one network namespace's sockets, taken as its source reads them: the part with
 * the listeners makes the classifier, then each socket whose process the owners' cache knows (or
 * that has no inode) is classified and counted as it comes, and only the others are kept until the
 * walk for their processes ({@link #finish}). So a steady table is never held whole: at 80,000
 * sockets its columns were some 7 MB of heap that a collection kept from one read to the next.
 *
 * <p>When a listener's process is not known yet (the first collection, a new server), every socket
 * of the namespace waits for the walk: the listener's process names the downstreams of sockets
 * without one of their own, and ranks listeners that share a port. Not for a listener that walks
 * could not attribute before (a kernel socket, one of a process in another PID namespace): it would
 * keep every socket of its namespace in every collection. Should a walk for new sockets come across
 * its process after all, this collection's series go without it, the next ones with it.
 *
 * <p>One per namespace per attempt: a read that fails after some parts is dropped with what it took
 * (the ledger takes a socket seen twice in one collection once).
 */
final class NamespaceCollection implements TableParts {

  /**
   * What the namespaces of one collection share: the kernel's settings, the owners' lookup and the
   * byte counting, each begun for this collection.
   */
  record Shared(KernelSettings kernel, SocketOwners.Lookup owners, ByteCounting.Pass counting) {}

  private final long inode;
  private final List<Socket> closed;
  private final List<IpAddress> addresses;
  private final Workload owner;
  private final Labeler labeler;
  private final Shared shared;

  private final int[][] byState = new int[Protocol.values().length][SocketState.values().length];
  private final int[] unresolved = new int[Protocol.values().length];

  private SocketColumns first;
  private int firstIndex;
  private ProcessInfo[] firstOwners;

  /** Whether a listener's process is not known yet, so that every socket waits for the walk. */
  private boolean deferred;

  private Classifier classifier;

  /** Sockets whose process the walk may find, and the index of each in the owners' lookup. */
  private SocketColumns pending;

  private int[] pendingIndexes = new int[0];

  /** Sockets classified only after the walk. */
  private int waited;

  private OwnerLookup found;
  private SocketTable table;
  private EdgesAndListeners dependencies;

  /**
   * @param inode the namespace's ({@code 0} for the exporter's own)
   * @param closed its sockets announced closed since the last collection
   * @param addresses its addresses
   * @param owner what owns its addresses
   * @param labeler names its series, with the IP its loopback and wildcard addresses stand for
   */
  NamespaceCollection(
      long inode,
      List<Socket> closed,
      List<IpAddress> addresses,
      Workload owner,
      Labeler labeler,
      Shared shared) {
    this.inode = inode;
    this.closed = closed;
    this.addresses = addresses;
    this.owner = owner;
    this.labeler = labeler;
    this.shared = shared;
  }

  @Override
  public void listeners(SocketColumns sockets) {
    first = sockets;
    firstIndex = shared.owners().count();
    firstOwners = new ProcessInfo[sockets.size()];
    for (int i = 0; i < sockets.size(); i++) {
      ProcessInfo process = shared.owners().owner(sockets.inode(i));
      firstOwners[i] = process;
      count(sockets, i);
      deferred |=
          process == null
              && shared.owners().looksFor(sockets.inode(i))
              && Classifier.isListener(sockets, i, shared.kernel());
    }
    if (!deferred) {
      classifier = classifier(sockets);
      for (int i = 0; i < sockets.size(); i++) {
        take(sockets, i, firstOwners[i], firstIndex + i);
      }
    }
  }

  @Override
  public void more(SocketColumns sockets) {
    for (int i = 0; i < sockets.size(); i++) {
      int index = shared.owners().count();
      ProcessInfo process = shared.owners().owner(sockets.inode(i));
      count(sockets, i);
      if (deferred) {
        keep(sockets, i, index);
      } else {
        take(sockets, i, process, index);
      }
    }
  }

  /** Classifies a socket now if its process is known or it has no inode; else keeps it. */
  private void take(SocketColumns sockets, int i, ProcessInfo process, int index) {
    if (process != null || sockets.inode(i) == 0) {
      classify(sockets, i, process);
    } else {
      keep(sockets, i, index);
    }
  }

  private void keep(SocketColumns sockets, int i, int index) {
    if (pending == null) {
      pending = new SocketColumns(16);
    }
    if (pending.size() == pendingIndexes.length) {
      pendingIndexes = Arrays.copyOf(pendingIndexes, Math.max(16, pendingIndexes.length * 2));
    }
    pendingIndexes[pending.size()] = index;
    pending.add(sockets, i);
  }

  private void classify(SocketColumns sockets, int i, ProcessInfo process) {
    Edge edge = classifier.edge(sockets, i, process, labeler);
    if (edge != null) {
      shared.counting().peered(sockets, i, edge);
    }
  }

  private void count(SocketColumns sockets, int i) {
    byState[sockets.protocol(i).ordinal()][sockets.state(i).ordinal()]++;
  }

  private Classifier classifier(SocketColumns listeners) {
    return Classifier.of(
        listeners,
        firstOwners,
        inode -> found == null ? null : found.owner(inode),
        shared.kernel());
  }

  /** The table the source returned: the part with the listeners, kept till {@link #finish}. */
  void read(SocketTable table) {
    this.table = table;
  }

  /** Classifies the sockets that waited, now that the walk has found what it could. */
  void finish(OwnerLookup found) {
    this.found = found;
    ProcessInfo[] byIndex = found.byIndex();
    if (deferred) {
      for (int i = 0; i < first.size(); i++) {
        firstOwners[i] = byIndex[firstIndex + i];
      }
      classifier = classifier(first);
      for (int i = 0; i < first.size(); i++) {
        classifyFound(first, i, firstOwners[i]);
      }
    }
    if (pending != null) {
      for (int i = 0; i < pending.size(); i++) {
        classifyFound(pending, i, byIndex[pendingIndexes[i]]);
      }
      pending = null; // as large as the table in a first collection: not kept
      pendingIndexes = new int[0];
    }
    dependencies = classifier.series(labeler);
  }

  private void classifyFound(SocketColumns sockets, int i, ProcessInfo process) {
    waited++;
    if (process == null && sockets.inode(i) != 0) {
      unresolved[sockets.protocol(i).ordinal()]++;
    }
    classify(sockets, i, process);
  }

  /** The edge of a socket announced closed, or null when it is not peered. */
  Edge closedEdge(Socket socket) {
    UnnamedEdge unnamed = classifier.unnamedEdge(socket);
    return unnamed == null ? null : labeler.edge(unnamed);
  }

  long inode() {
    return inode;
  }

  List<Socket> closed() {
    return closed;
  }

  List<IpAddress> addresses() {
    return addresses;
  }

  Workload owner() {
    return owner;
  }

  Labeler labeler() {
    return labeler;
  }

  Classifier classifier() {
    return classifier;
  }

  /** The table to recycle, null if none was read. */
  SocketTable table() {
    return table;
  }

  /** Its series, once finished. */
  EdgesAndListeners dependencies() {
    return dependencies;
  }

  /** How many of its sockets waited for the walk to be classified (the others were not kept). */
  int waited() {
    return waited;
  }

  /** Sockets by protocol and state ordinals. */
  int[][] byState() {
    return byState;
  }

  /** Sockets with an inode whose process was not found, by protocol ordinal. */
  int[] unresolved() {
    return unresolved;
  }
}
