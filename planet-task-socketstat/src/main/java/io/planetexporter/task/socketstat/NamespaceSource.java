package io.planetexporter.task.socketstat;

import java.io.IOException;
import java.nio.file.Path;

/** Reads the socket table of another network namespace through one of its processes. */
@FunctionalInterface
interface NamespaceSource extends AutoCloseable {

  /**
   * The table of the namespace of process {@code pid}.
   *
   * @throws IOException when it cannot be read, e.g. because the process has exited
   */
  SocketTable read(int pid) throws IOException;

  /** Releases what it holds (a thread); nothing by default. */
  @Override
  default void close() {}

  /**
   * How the task reads other namespaces with {@code source}: netlink from inside each (falling back
   * to {@code /proc/<pid>/net} without the capability to enter), the text tables otherwise.
   */
  static NamespaceSource of(SocketSource source, Path procRoot) {
    NamespaceSource procNet = procNet(procRoot);
    return source instanceof NetlinkSocketSource
        ? new EnteredNamespaceSource(procRoot, source, procNet)
        : procNet;
  }

  /** Through the text tables of {@code <procRoot>/<pid>/net}. */
  static NamespaceSource procNet(Path procRoot) {
    return pid -> new ProcNetSource(procRoot.resolve(pid + "/net")).read();
  }
}
