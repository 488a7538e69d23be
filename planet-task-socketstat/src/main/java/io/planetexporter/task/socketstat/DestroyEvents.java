package io.planetexporter.task.socketstat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A thread that listens on the sock_diag TCP destroy groups (IPv4 and IPv6) of the namespace it was
 * started in, and keeps every closing socket, with its final counters, until the next collection
 * takes them. Joining the groups needs {@code CAP_NET_ADMIN}.
 */
final class DestroyEvents implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(DestroyEvents.class.getName());

  /** {@code SKNLGRP_INET_TCP_DESTROY} (1) and {@code SKNLGRP_INET6_TCP_DESTROY} (3), as bits. */
  static final int TCP_DESTROY_GROUPS = 1 << (1 - 1) | 1 << (3 - 1);

  /** Room for bursts while this thread is off the CPU: some 20,000 events. */
  private static final int RECEIVE_BUFFER = 16 << 20;

  /** Events kept between collections, beyond which they are dropped and counted lost. */
  private static final int MAX_PENDING = 1 << 20;

  private static final int POLL_MILLIS = 250;

  private final NetlinkSocket socket;
  private final ConcurrentLinkedQueue<Socket> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pendingCount = new AtomicInteger();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong overruns = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  private DestroyEvents(NetlinkSocket socket) {
    this.socket = socket;
    this.thread = new Thread(this::listen, "socketstat-destroy-events");
    thread.setDaemon(true);
  }

  /**
   * Joins the destroy groups of the calling thread's network namespace and starts listening.
   *
   * @throws NetlinkException with {@link NetlinkSocket#EPERM} without {@code CAP_NET_ADMIN}
   */
  static DestroyEvents start() throws NetlinkException {
    NetlinkSocket socket = NetlinkSocket.open(TCP_DESTROY_GROUPS);
    try {
      socket.receiveBuffer(RECEIVE_BUFFER);
      socket.receiveTimeout(POLL_MILLIS);
    } catch (NetlinkException e) {
      socket.close();
      throw e;
    }
    DestroyEvents events = new DestroyEvents(socket);
    events.thread.start();
    return events;
  }

  private void listen() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    Runnable malformed = () -> logger.fine("malformed destroy event");
    while (running) {
      try {
        if (socket.receive(buffer) > 0) {
          InetDiag.decode(buffer, Protocol.TCP, this::keep, malformed);
        }
      } catch (NetlinkException e) {
        if (e.errno() == NetlinkSocket.ENOBUFS) {
          overruns.incrementAndGet(); // the kernel dropped events; their sockets count last-seen
        } else if (running) {
          logger.log(Level.WARNING, "destroy events: receive failed, stopping", e);
          return;
        }
      }
    }
  }

  private void keep(Socket closed) {
    received.incrementAndGet();
    if (closed.remotePort() == 0 || closed.counters() == null) {
      return; // a listener, or a socket that never connected
    }
    if (pendingCount.incrementAndGet() > MAX_PENDING) {
      pendingCount.decrementAndGet();
      overruns.incrementAndGet();
      return;
    }
    pending.add(closed);
  }

  /** The sockets announced closed since the last call. */
  List<Socket> drain() {
    List<Socket> drained = new ArrayList<>();
    for (Socket closed; (closed = pending.poll()) != null; ) {
      pendingCount.decrementAndGet();
      drained.add(closed);
    }
    return drained;
  }

  /** Destroy events received, listeners' included. */
  long received() {
    return received.get();
  }

  /** Times events were lost: the kernel's receive-buffer overruns, and drops for want of room. */
  long overruns() {
    return overruns.get();
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(10L * POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    socket.close();
  }
}
