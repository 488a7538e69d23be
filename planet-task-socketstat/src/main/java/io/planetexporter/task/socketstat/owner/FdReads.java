package io.planetexporter.task.socketstat.owner;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.LongPredicate;

/**
 * The searched-for socket inodes that each process of a walk holds, taken in the walk's order.
 *
 * <p>With many to read, other threads ({@code readers}) read processes meanwhile, each taking the
 * next process that nobody reads yet, while the caller reads the next one it takes unless a reader
 * has: the first collection reads the fds of every process, one {@code readlink} per fd (80,000 of
 * them at 40,000 connections, mostly system time), and a host has two cores or more. Taking the
 * processes one at a time keeps the threads busy to the end whatever the sizes of the processes (a
 * split into halves left one thread reading two of five holders while the other read three). Which
 * process a socket goes to does not change: the reads are taken in the walk's order.
 */
final class FdReads implements AutoCloseable {

  private static final int UNCLAIMED = 0;
  private static final int CLAIMED = 1;

  private final ProcessSource processes;
  private final int[] order;
  private final LongPredicate searched;

  /** Each process's read, at its place in {@link #order}, once made; guarded by {@code this}. */
  private final Read[] reads;

  /** Whether a thread took each place to read, so that exactly one reads it. */
  private final AtomicIntegerArray claims;

  /** The next place the other threads try to claim. */
  private final AtomicInteger nextForReaders = new AtomicInteger();

  private volatile boolean closed;
  private int next;

  private FdReads(ProcessSource processes, int[] order, LongPredicate searched, int readers) {
    this.processes = processes;
    this.order = order;
    this.searched = searched;
    this.reads = new Read[order.length];
    this.claims = new AtomicIntegerArray(order.length);
    for (int i = 0; i < Math.min(readers, order.length); i++) {
      Thread reader = new Thread(this::readAhead, "socketstat-walk");
      reader.setDaemon(true);
      reader.start();
    }
  }

  /**
   * Starts reading.
   *
   * @param order the pids, in the order their reads are taken
   * @param searched whether an inode is one the walk looks for
   * @param readers how many other threads read ahead (0: the caller reads each process as it takes
   *     it)
   */
  static FdReads start(ProcessSource processes, int[] order, LongPredicate searched, int readers) {
    return new FdReads(processes, order, searched, readers);
  }

  /** Whether a read is left. */
  boolean hasNext() {
    return next < order.length;
  }

  /** The next process's read. */
  Read next() throws InterruptedIOException {
    int at = next++;
    if (claims.compareAndSet(at, UNCLAIMED, CLAIMED)) {
      return read(order[at]);
    }
    synchronized (this) {
      while (reads[at] == null) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while reading /proc/<pid>/fd");
        }
      }
      return reads[at];
    }
  }

  private void readAhead() {
    for (int at = nextForReaders.getAndIncrement();
        at < order.length && !closed;
        at = nextForReaders.getAndIncrement()) {
      if (claims.compareAndSet(at, UNCLAIMED, CLAIMED)) {
        Read read = read(order[at]);
        synchronized (this) {
          reads[at] = read;
          notifyAll();
        }
      }
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

  /** Lets the other threads stop after the process each is reading. */
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
