package io.planetexporter.task.socketstat;

import java.io.IOException;
import java.nio.file.Path;

/** Reads the socket table of another network namespace through one of its processes. */
@FunctionalInterface
interface NamespaceSource {

  /**
   * The table of the namespace of process {@code pid}.
   *
   * @throws IOException when it cannot be read, e.g. because the process has exited
   */
  SocketTable read(int pid) throws IOException;

  /** Through the text tables of {@code <procRoot>/<pid>/net}. */
  static NamespaceSource procNet(Path procRoot) {
    return pid -> new ProcNetSource(procRoot.resolve(pid + "/net")).read();
  }
}
