package io.planetexporter.task.socketstat.namespace;

import io.planetexporter.task.socketstat.netlink.NetlinkSocketSource;
import io.planetexporter.task.socketstat.proc.ProcNetSource;
import io.planetexporter.task.socketstat.table.Socket;
import io.planetexporter.task.socketstat.table.SocketSource;
import io.planetexporter.task.socketstat.table.SocketSource.TableParts;
import io.planetexporter.task.socketstat.table.SocketTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Reads the socket table of another network namespace through one of its processes. */
@FunctionalInterface
public interface NamespaceSource extends AutoCloseable {

  /**
   * The table of namespace {@code inode}, read through its process {@code pid}.
   *
   * @throws IOException when it cannot be read, e.g. because the process has exited
   */
  SocketTable read(long inode, int pid) throws IOException;

  /**
   * The table of namespace {@code inode}, read through its process {@code pid}, given to {@code
   * parts} as {@link SocketSource#read(TableParts)} says; by default as one part.
   *
   * @return the table of the first part, to {@link #recycle}
   * @throws IOException when it cannot be read, e.g. because the process has exited (maybe after
   *     some parts were given)
   */
  default SocketTable read(long inode, int pid, TableParts parts) throws IOException {
    SocketTable table = read(inode, pid);
    parts.listeners(table.sockets());
    return table;
  }

  /**
   * The sockets announced closed in namespace {@code inode} since the last call, with their final
   * counters; none unless its destroy events are listened to. Take them before its table.
   */
  default List<Socket> closedSinceLast(long inode) {
    return List.of();
  }

  /**
   * Takes back a table {@link #read} returned for namespace {@code inode}, as {@link
   * SocketSource#recycle} does; nothing by default.
   */
  default void recycle(long inode, SocketTable table) {}

  /** Forgets every namespace but {@code inodes}: the others no longer hold a process. */
  default void retain(Set<Long> inodes) {}

  /** Destroy events received in other namespaces since the exporter started. */
  default long destroyEvents() {
    return 0;
  }

  /** Times destroy events were lost in other namespaces since the exporter started. */
  default long destroyEventsLost() {
    return 0;
  }

  /** Releases what it holds (a thread); nothing by default. */
  @Override
  default void close() {}

  /**
   * How the task reads other namespaces when its own is read with {@code source}: netlink from
   * inside each (falling back to {@code /proc/<pid>/net} without the capability to enter), the text
   * tables otherwise.
   *
   * @param destroyEvents whether to listen to each namespace's destroy events (netlink only)
   */
  static NamespaceSource of(SocketSource source, Path procRoot, boolean destroyEvents) {
    NamespaceSource procNet = procNet(procRoot);
    return source instanceof NetlinkSocketSource
        ? new EnteredNamespaceSource(procRoot, NetlinkSocketSource::new, procNet, destroyEvents)
        : procNet;
  }

  /** Through the text tables of {@code <procRoot>/<pid>/net}. */
  static NamespaceSource procNet(Path procRoot) {
    return (inode, pid) -> new ProcNetSource(procRoot.resolve(pid + "/net")).read();
  }
}
