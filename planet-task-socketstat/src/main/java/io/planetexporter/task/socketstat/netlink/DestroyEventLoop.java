package io.planetexporter.task.socketstat.netlink;

import io.planetexporter.task.socketstat.table.SocketColumns;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that listens to the destroy groups of every {@link DestroyEvents}, the exporter's
 * namespace's and each other namespace's, waiting on all their sockets at once. A thread of its own
 * for each namespace cost its stack, buffers and the JVM's per-thread state: some 200 KB each, 2
 * MiB of RSS at 10 containers (BENCHMARKS.md) and ten times that at 100. A burst in one namespace
 * delays the others by no more than its handling; their events wait in their own receive buffers.
 */
final class DestroyEventLoop {

  private static final DestroyEventLoop SHARED = new DestroyEventLoop();

  /** How long {@link #remove} waits for the thread to let go of a socket. */
  private static final long STOP_MILLIS = 2_500;

  /** A pause after a failed receive, which could fail again at once. */
  private static final long PAUSE_MILLIS = 250;

  private final List<DestroyEvents> listening = new ArrayList<>();
  private NetlinkSocket.Wakeup wakeup;

  /** Changes to {@link #listening} so far, and how many of them the thread has taken. */
  private long changes;

  private long taken;

  private DestroyEventLoop() {}

  static DestroyEventLoop shared() {
    return SHARED;
  }

  /** Listens to the events of {@code events} too, starting the thread the first time. */
  synchronized void add(DestroyEvents events) throws NetlinkException {
    if (wakeup == null) {
      wakeup = NetlinkSocket.Wakeup.open();
      Thread thread = new Thread(this::listen, "socketstat-destroy-events");
      thread.setDaemon(true);
      thread.start();
    }
    listening.add(events);
    changes++;
    wakeup.signal();
  }

  /**
   * Stops listening to {@code events}; returns once the thread no longer reads its socket (or after
   * {@link #STOP_MILLIS}), so that the socket may be closed.
   */
  synchronized void remove(DestroyEvents events) {
    if (!listening.remove(events)) {
      return;
    }
    long change = ++changes;
    wakeup.signal();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_MILLIS);
    try {
      for (long left = STOP_MILLIS; taken < change && left > 0; ) {
        wait(left);
        left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How many are listened to. */
  synchronized int size() {
    return listening.size();
  }

  private void listen() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    ByteBuffer answer = ByteBuffer.allocateDirect(DestroyEvents.LOOKUP_BUFFER);
    SocketColumns found = new SocketColumns(1);
    while (true) {
      // Cleared before the listeners are taken: a change signalled after this wakes the next wait.
      wakeup.clear();
      List<DestroyEvents> now;
      synchronized (this) {
        now = List.copyOf(listening);
        taken = changes;
        notifyAll();
      }
      List<NetlinkSocket> sockets = new ArrayList<>(now.size());
      now.forEach(events -> sockets.add(events.socket()));
      boolean[] readable;
      try {
        readable = NetlinkSocket.awaitReadable(sockets, wakeup, -1);
      } catch (NetlinkException e) {
        now.forEach(events -> events.failed("waiting for events failed", e));
        pause();
        continue;
      }
      for (int i = 0; i < readable.length; i++) {
        if (readable[i] && !now.get(i).receive(buffer, answer, found)) {
          pause();
        }
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
