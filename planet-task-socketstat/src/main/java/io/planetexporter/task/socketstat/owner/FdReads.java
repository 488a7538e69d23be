package io.planetexporter.task.socketstat.owner;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * The searched-for socket inodes that each process of a walk holds, read in the walk's order.
 *
 * <p>With many to read ({@code ahead}), the second half of the processes is read on a thread of its
 * own meanwhile: the first collection reads the fds of every process, one {@code readlink} per fd
 * (80,000 of them at 40,000 connections, mostly system time), and a host has two cores or more.
 * Which process a socket goes to does not change: the results are taken in the walk's order.
 */
final class FdReads implements AutoCloseable {

  private final ProcessSource processes;
  private final int[] order;
  private final LongPredicate searched;
  private final int aheadFrom;
  private final Read[] ahead;
  private final Thread reader;
  private volatile boolean closed;
  private int next;

  private FdReads(ProcessSource processes, int[] order, LongPredicate searched, int aheadFrom) {
    this.processes = processes;
    this.order = order;
    this.searched = searched;
    this.aheadFrom = aheadFrom;
    this.ahead = new Read[order.length - aheadFrom];
    if (ahead.length > 0) {
      reader = new Thread(this::readAhead, "socketstat-walk");
      reader.setDaemon(true);
      reader.start();
    } else {
      reader = null;
    }
  }

  /**
   * Starts reading.
   *
   * @param order the pids, in the order their reads are taken
   * @param searched whether an inode is one the walk looks for
   * @param aheadFrom where in {@code order} another thread starts reading ({@code order.length}:
   *     none does)
   */
  static FdReads start(
      ProcessSource processes, int[] order, LongPredicate searched, int aheadFrom) {
    return new FdReads(processes, order, searched, aheadFrom);
  }

  /** Whether a read is left. */
  boolean hasNext() {
    return next < order.length;
  }

  /** The next process's read. */
  Read next() throws InterruptedIOException {
    int at = next++;
    if (at < aheadFrom) {
      return read(order[at]);
    }
    if (at == aheadFrom) {
      try {
        reader.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading /proc/<pid>/fd");
      }
    }
    return ahead[at - aheadFrom];
  }

  private void readAhead() {
    for (int i = 0; i < ahead.length && !closed; i++) {
      ahead[i] = read(order[aheadFrom + i]);
    }
  }

  private Read read(int pid) {
    Read read = new Read(pid);
    if (closed) {
      read.failure = new InterruptedIOException("walk ended");
      return read;
    }
    try {
      processes.socketInodes(
          pid,
          inode -> {
            if (searched.test(inode)) {
              read.add(inode);
            }
          });
    } catch (IOException e) {
      read.failure = e;
    }
    return read;
  }

  /** Lets the other thread stop after the process it is reading. */
  @Override
  public void close() {
    closed = true;
  }

  /** The searched-for inodes one process holds, or why they could not be read. */
  static final class Read {
    final int pid;
    long[] inodes = new long[16];
    int count;

    /** Null when the fds were read. */
    IOException failure;

    private Read(int pid) {
      this.pid = pid;
    }

    private void add(long inode) {
      if (count == inodes.length) {
        inodes = Arrays.copyOf(inodes, count * 2);
      }
      inodes[count++] = inode;
    }
  }
}
