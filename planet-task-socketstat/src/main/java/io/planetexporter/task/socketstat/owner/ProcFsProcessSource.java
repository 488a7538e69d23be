package io.planetexporter.task.socketstat.owner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Reads processes from a proc file system: {@code <root>/<pid>/fd/*}, {@code comm}, {@code stat},
 * {@code cgroup}, {@code ns/net}.
 */
public final class ProcFsProcessSource implements ProcessSource {

  private static final String SOCKET_PREFIX = "socket:[";
  private static final String NET_PREFIX = "net:[";

  /** {@code starttime} is field 22 of {@code stat}; fields after the {@code (comm)} start at 3. */
  private static final int START_TIME_AFTER_COMM = 22 - 3;

  private final Path procRoot;

  /** Whether {@link #procRoot} is a procfs mount, once asked. */
  private Boolean procfs;

  public ProcFsProcessSource(Path procRoot) {
    this.procRoot = procRoot;
  }

  @Override
  public int[] pids() throws IOException {
    int[] pids = new int[256];
    int count = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(procRoot)) {
      for (Path entry : entries) {
        int pid = parsePid(entry.getFileName().toString());
        if (pid > 0) {
          if (count == pids.length) {
            pids = Arrays.copyOf(pids, count * 2);
          }
          pids[count++] = pid;
        }
      }
    } catch (DirectoryIteratorException e) {
      throw e.getCause();
    }
    int[] result = Arrays.copyOf(pids, count);
    Arrays.sort(result);
    return result;
  }

  private static int parsePid(String name) {
    if (name.isEmpty() || name.length() > 9) {
      return -1;
    }
    int pid = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      pid = pid * 10 + (c - '0');
    }
    return pid;
  }

  @Override
  public void socketInodes(int pid, LongConsumer inodes) throws IOException {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(processDir(pid).resolve("fd"))) {
      for (Path fd : fds) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (NoSuchFileException ignored) {
          continue; // closed since the directory was listed
        }
        if (target.startsWith(SOCKET_PREFIX) && target.endsWith("]")) {
          inodes.accept(parseInode(target));
        }
      }
    } catch (DirectoryIteratorException e) {
      throw e.getCause();
    }
  }

  private static long parseInode(String target) {
    long inode = 0;
    for (int i = SOCKET_PREFIX.length(); i < target.length() - 1; i++) {
      char c = target.charAt(i);
      if (c < '0' || c > '9') {
        return 0;
      }
      inode = inode * 10 + (c - '0');
    }
    return inode;
  }

  @Override
  public long fdCount(int pid) throws IOException {
    // Older kernels report 0, and a directory that is not procfs its own size: unknown.
    if (procfs == null) {
      procfs = "proc".equals(Files.getFileStore(procRoot).type());
    }
    if (!procfs) {
      return -1;
    }
    long size = Files.size(processDir(pid).resolve("fd"));
    return size > 0 ? size : -1;
  }

  @Override
  public long startTime(int pid) throws IOException {
    byte[] stat = Files.readAllBytes(processDir(pid).resolve("stat"));
    int i = stat.length - 1;
    while (i >= 0 && stat[i] != ')') {
      i--; // comm may hold spaces and parentheses: fields restart after the last ')'
    }
    for (int field = 0; field < START_TIME_AFTER_COMM; field++) {
      i++;
      while (i < stat.length && stat[i] == ' ') {
        i++;
      }
      while (i < stat.length && stat[i] != ' ') {
        i++;
      }
    }
    while (i < stat.length && stat[i] == ' ') {
      i++;
    }
    long value = 0;
    int start = i;
    while (i < stat.length && stat[i] >= '0' && stat[i] <= '9') {
      value = value * 10 + (stat[i++] - '0');
    }
    if (i == start) {
      throw new IOException(processDir(pid).resolve("stat") + ": no start time");
    }
    return value;
  }

  @Override
  public String name(int pid) throws IOException {
    byte[] comm = Files.readAllBytes(processDir(pid).resolve("comm"));
    int length = comm.length;
    if (length > 0 && comm[length - 1] == '\n') {
      length--;
    }
    return new String(comm, 0, length, StandardCharsets.UTF_8);
  }

  @Override
  public String cgroup(int pid) throws IOException {
    return new String(
        Files.readAllBytes(processDir(pid).resolve("cgroup")), StandardCharsets.UTF_8);
  }

  @Override
  public long netNamespace(int pid) throws IOException {
    return namespaceInode(processDir(pid));
  }

  @Override
  public long ownNetNamespace() throws IOException {
    return namespaceInode(procRoot.resolve("self"));
  }

  /** Reads the {@code net:[<inode>]} link of a process. */
  private static long namespaceInode(Path processDir) throws IOException {
    Path link = processDir.resolve("ns/net");
    String target = Files.readSymbolicLink(link).toString();
    if (!target.startsWith(NET_PREFIX) || !target.endsWith("]")) {
      throw new IOException(link + ": not a network namespace: " + target);
    }
    try {
      return Long.parseLong(target.substring(NET_PREFIX.length(), target.length() - 1));
    } catch (NumberFormatException e) {
      throw new IOException(link + ": not a network namespace: " + target, e);
    }
  }

  private Path processDir(int pid) {
    return procRoot.resolve(Integer.toString(pid));
  }
}
