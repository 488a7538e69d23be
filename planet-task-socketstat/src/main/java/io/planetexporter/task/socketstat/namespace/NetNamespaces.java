package io.planetexporter.task.socketstat.namespace;

import io.planetexporter.task.socketstat.owner.ProcessSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The network namespaces that hold a process, told apart by the inode of each process's {@code
 * ns/net}.
 *
 * @param own the namespace of this JVM, 0 when it cannot be read (then no other is listed, since
 *     none could be told from it)
 * @param others every other namespace, in the order of its lowest pid
 */
public record NetNamespaces(long own, List<NetNamespace> others) {

  private static final Logger logger = Logger.getLogger(NetNamespaces.class.getName());

  /** How many processes of a namespace are kept to stand for it, should the first exit. */
  static final int CANDIDATES = 3;

  public NetNamespaces {
    others = List.copyOf(others);
  }

  /**
   * Reads the namespace of every process. A process that exits meanwhile, or whose namespace may
   * not be read (without {@code CAP_SYS_PTRACE}, other users' processes), is passed over.
   */
  public static NetNamespaces discover(ProcessSource processes) throws IOException {
    long own;
    try {
      own = processes.ownNetNamespace();
    } catch (IOException e) {
      logger.log(Level.FINE, "cannot read this process's network namespace", e);
      return new NetNamespaces(0, List.of());
    }
    Map<Long, List<Integer>> candidates = new LinkedHashMap<>();
    for (int pid : processes.pids()) {
      long namespace;
      try {
        namespace = processes.netNamespace(pid);
      } catch (IOException ignored) {
        continue; // exited, or not ours to read
      }
      if (namespace != own) {
        List<Integer> pids = candidates.computeIfAbsent(namespace, n -> new ArrayList<>());
        if (pids.size() < CANDIDATES) {
          pids.add(pid);
        }
      }
    }
    List<NetNamespace> others = new ArrayList<>();
    candidates.forEach((namespace, pids) -> others.add(new NetNamespace(namespace, pids)));
    return new NetNamespaces(own, others);
  }

  /**
   * A network namespace other than the JVM's.
   *
   * @param inode its inode
   * @param pids up to {@link #CANDIDATES} of its processes, ascending, any of which can stand for
   *     it
   */
  public record NetNamespace(long inode, List<Integer> pids) {

    public NetNamespace {
      pids = List.copyOf(pids);
    }
  }
}
