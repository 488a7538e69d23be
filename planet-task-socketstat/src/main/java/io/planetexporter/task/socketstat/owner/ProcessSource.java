package io.planetexporter.task.socketstat.owner;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.function.LongConsumer;

/**
 * The process table, as far as socket ownership needs it. A process that has exited throws {@link
 * NoSuchFileException}; one whose files may not be read throws {@link AccessDeniedException}.
 */
public interface ProcessSource {

  /** The ids of the processes running now, ascending. */
  int[] pids() throws IOException;

  /** Gives the inode of each socket the process has open. */
  void socketInodes(int pid, LongConsumer inodes) throws IOException;

  /**
   * How many files the process has open, or -1 when that cannot be told without reading its fds
   * (procfs reports the count as the size of {@code /proc/<pid>/fd} since Linux 6.2).
   */
  long fdCount(int pid) throws IOException;

  /** The process's start time in clock ticks since boot. */
  long startTime(int pid) throws IOException;

  /** The process's {@code comm}. */
  String name(int pid) throws IOException;

  /** The text of the process's {@code cgroup} file. */
  String cgroup(int pid) throws IOException;

  /** The inode of the process's network namespace ({@code ns/net}). */
  long netNamespace(int pid) throws IOException;

  /** The inode of the network namespace of this JVM. */
  long ownNetNamespace() throws IOException;
}
