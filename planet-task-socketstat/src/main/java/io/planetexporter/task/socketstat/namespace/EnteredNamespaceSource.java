package io.planetexporter.task.socketstat.namespace;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.planetexporter.task.socketstat.netlink.DestroyEvents;
import io.planetexporter.task.socketstat.netlink.NetlinkException;
import io.planetexporter.task.socketstat.table.Socket;
import io.planetexporter.task.socketstat.table.SocketSource;
import io.planetexporter.task.socketstat.table.SocketSource.TableParts;
import io.planetexporter.task.socketstat.table.SocketTable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads another namespace's table with a namespace-agnostic {@link SocketSource} (netlink, which
 * reads the namespace of the calling thread) on a dedicated thread that enters the namespace with
 * {@code setns(2)} through {@code /proc/<pid>/ns/net} and goes back to the exporter's own
 * afterwards (a thread left in a namespace would keep it alive after it is deleted).
 *
 * <p>Each namespace has a source of its own, so that the columns a table gives back, and the size
 * of new ones, fit the next table of the same namespace. With one source for all, the exporter's
 * nearly empty table sized the columns of a container's 80,000 sockets, which then grew by doubling
 * and were let go as too large, every collection: some 20 MB of arrays, promoted while the
 * collection ran, and a full GC every other collection (see BENCHMARKS.md, the container
 * placement).
 *
 * <p>{@code setns} needs {@code CAP_SYS_ADMIN}; without it (e.g. the shipped systemd unit, which
 * grants only {@code CAP_SYS_PTRACE} and {@code CAP_DAC_READ_SEARCH}) every namespace is read
 * through the fallback instead, as one log line says.
 *
 * <p>With destroy events on, the thread also joins each namespace's TCP destroy groups the first
 * time it enters it (the netlink socket belongs to the namespace it was opened in), until the
 * namespace holds no process any more.
 *
 * <p>One caller at a time (the task's run).
 */
final class EnteredNamespaceSource implements NamespaceSource {

  private static final Logger logger = Logger.getLogger(EnteredNamespaceSource.class.getName());

  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 0x80000;
  private static final int CLONE_NEWNET = 0x40000000;
  private static final int EPERM = 1;
  private static final int ENOENT = 2;

  private static final Throwable UNAVAILABLE = register();
  private static final String OWN_NAMESPACE = "/proc/thread-self/ns/net";

  private final Path procRoot;
  private final Supplier<SocketSource> newSource;
  private final NamespaceSource fallback;
  private final boolean destroyEvents;

  /** The source of each namespace read, by inode. */
  private final Map<Long, SocketSource> sources = new HashMap<>();

  /** The destroy events of each namespace that could join its groups, by inode. */
  private final Map<Long, DestroyEvents> events = new HashMap<>();

  /** Namespaces whose destroy groups could not be joined, so that it is not tried every time. */
  private final Set<Long> withoutEvents = new HashSet<>();

  /** Counts of the destroy events of namespaces that are gone, so that totals never decrease. */
  private long retiredEvents;

  private long retiredLost;
  private ExecutorService thread;
  private volatile int ownNamespace = -1;
  private boolean denied;

  /**
   * @param newSource makes the source of a namespace read for the first time
   * @param destroyEvents whether to listen to each namespace's TCP destroy groups too (needs {@code
   *     CAP_NET_ADMIN} in it)
   */
  EnteredNamespaceSource(
      Path procRoot,
      Supplier<SocketSource> newSource,
      NamespaceSource fallback,
      boolean destroyEvents) {
    this.procRoot = procRoot;
    this.newSource = newSource;
    this.fallback = fallback;
    this.destroyEvents = destroyEvents;
  }

  private static Throwable register() {
    try {
      if (!Platform.isLinux()) {
        return new UnsupportedOperationException("setns needs Linux");
      }
      Native.register(EnteredNamespaceSource.class, Platform.C_LIBRARY_NAME);
      return null;
    } catch (LinkageError e) {
      return e;
    }
  }

  @Override
  public SocketTable read(long inode, int pid) throws IOException {
    return read(inode, pid, SocketSource::read, fallback::read);
  }

  /** Reads in parts inside the namespace: the parts are taken on the namespace's thread. */
  @Override
  public SocketTable read(long inode, int pid, TableParts parts) throws IOException {
    return read(
        inode,
        pid,
        source -> source.read(parts),
        (namespace, process) -> fallback.read(namespace, process, parts));
  }

  /** How a table is read with a source: whole, or in parts. */
  @FunctionalInterface
  private interface Reading {
    SocketTable read(SocketSource source) throws IOException;
  }

  private SocketTable read(long inode, int pid, Reading reading, NamespaceSource fallback)
      throws IOException {
    if (denied || UNAVAILABLE != null) {
      return fallback.read(inode, pid);
    }
    boolean startEvents =
        destroyEvents && !events.containsKey(inode) && !withoutEvents.contains(inode);
    if (thread == null) {
      thread =
          Executors.newSingleThreadExecutor(
              runnable -> {
                Thread t = new Thread(runnable, "socketstat-netns");
                t.setDaemon(true);
                return t;
              });
    }
    SocketSource source = sources.computeIfAbsent(inode, n -> newSource.get());
    try {
      Inside inside =
          thread.submit(() -> readInside(() -> reading.read(source), pid, startEvents)).get();
      if (inside.events() != null) {
        events.put(inode, inside.events());
      } else if (startEvents) {
        withoutEvents.add(inode);
      }
      return inside.table();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading namespace of process " + pid);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof PermissionDenied) {
        denied = true;
        logger.log(
            Level.INFO,
            "socketstat reads other network namespaces through /proc/<pid>/net: entering one"
                + " needs CAP_SYS_ADMIN",
            e.getCause());
        return fallback.read(inode, pid);
      }
      if (e.getCause() instanceof StuckOutside stuck) {
        thread.shutdown(); // its thread is in a foreign namespace: let it end, start another
        thread = null;
        throw new IOException(stuck.getMessage(), stuck);
      }
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * On the dedicated thread: enter, read (and join the namespace's destroy groups, whose socket
   * stays in the namespace), go back.
   */
  private Inside readInside(Callable<SocketTable> read, int pid, boolean startEvents)
      throws Exception {
    if (ownNamespace < 0) {
      ownNamespace = open(OWN_NAMESPACE);
    }
    Path target = procRoot.resolve(pid + "/ns/net");
    int fd = open(target.toString());
    try {
      enter(fd, target);
      try {
        DestroyEvents started = null;
        if (startEvents) {
          try {
            started = DestroyEvents.start();
          } catch (NetlinkException e) {
            logger.log(Level.FINE, "no destroy events in the namespace of process " + pid, e);
          }
        }
        return new Inside(read.call(), started);
      } finally {
        try {
          enter(ownNamespace, Path.of(OWN_NAMESPACE));
        } catch (IOException e) {
          throw new StuckOutside("cannot return from namespace of process " + pid, e);
        }
      }
    } finally {
      close(fd);
    }
  }

  private static int open(String path) throws IOException {
    try {
      return open(path, O_RDONLY | O_CLOEXEC);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == ENOENT) {
        throw new NoSuchFileException(path);
      }
      throw new IOException("open " + path + ": errno " + e.getErrorCode(), e);
    }
  }

  private static void enter(int fd, Path namespace) throws IOException {
    try {
      setns(fd, CLONE_NEWNET);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == EPERM) {
        throw new PermissionDenied("setns " + namespace + ": not permitted", e);
      }
      throw new IOException("setns " + namespace + ": errno " + e.getErrorCode(), e);
    }
  }

  @Override
  public List<Socket> closedSinceLast(long inode) {
    DestroyEvents listening = events.get(inode);
    return listening == null ? List.of() : listening.drain();
  }

  @Override
  public void recycle(long inode, SocketTable table) {
    SocketSource source = sources.get(inode);
    if (source != null) {
      source.recycle(table);
    }
  }

  /** Stops listening to the namespaces that are gone, which also lets the kernel free them. */
  @Override
  public void retain(Set<Long> inodes) {
    sources.keySet().retainAll(inodes);
    withoutEvents.retainAll(inodes);
    events
        .entrySet()
        .removeIf(
            entry -> {
              if (inodes.contains(entry.getKey())) {
                return false;
              }
              retire(entry.getValue());
              return true;
            });
  }

  private void retire(DestroyEvents gone) {
    gone.close();
    retiredEvents += gone.received();
    retiredLost += gone.overruns();
  }

  @Override
  public long destroyEvents() {
    long total = retiredEvents;
    for (DestroyEvents listening : events.values()) {
      total += listening.received();
    }
    return total;
  }

  @Override
  public long destroyEventsLost() {
    long total = retiredLost;
    for (DestroyEvents listening : events.values()) {
      total += listening.overruns();
    }
    return total;
  }

  @Override
  public void close() {
    events.values().forEach(DestroyEvents::close);
    events.clear();
    if (thread != null) {
      thread.shutdownNow();
    }
    if (ownNamespace >= 0) {
      close(ownNamespace);
    }
  }

  private static native int open(String path, int flags) throws LastErrorException;

  private static native int setns(int fd, int nstype) throws LastErrorException;

  private static native int close(int fd);

  /** What the dedicated thread brings back from a namespace. */
  private record Inside(SocketTable table, DestroyEvents events) {}

  /** {@code setns} refused for want of the capability. */
  private static final class PermissionDenied extends IOException {
    private static final long serialVersionUID = 1L;

    PermissionDenied(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The thread could not go back to the exporter's namespace. */
  private static final class StuckOutside extends IOException {
    private static final long serialVersionUID = 1L;

    StuckOutside(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
