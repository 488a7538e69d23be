package io.planetexporter.task.socketstat.netlink;

import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.RecentAddresses;
import io.planetexporter.task.socketstat.table.Socket;
import io.planetexporter.task.socketstat.table.SocketColumns;
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
 * takes them.
 *
 * <p>The kernel lets any user join the groups (sock_diag is {@code NL_CFG_F_NONROOT_RECV}; checked
 * on 6.18 as user nobody without capabilities). {@code CAP_NET_ADMIN} buys the receive buffer:
 * without it the kernel caps it at {@code net.core.rmem_max} (208 KiB by default, a few hundred
 * events), which a burst of closing connections can overrun.
 */
public final class DestroyEvents implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(DestroyEvents.class.getName());

  /** {@code SKNLGRP_INET_TCP_DESTROY} (1) and {@code SKNLGRP_INET6_TCP_DESTROY} (3), as bits. */
  static final int TCP_DESTROY_GROUPS = 1 << (1 - 1) | 1 << (3 - 1);

  /** Room for bursts while this thread is off the CPU: some 20,000 events. */
  public static final int RECEIVE_BUFFER = 16 << 20;

  /** Events kept between collections, beyond which they are dropped and counted lost. */
  private static final int MAX_PENDING = 1 << 20;

  private static final int POLL_MILLIS = 250;

  private final NetlinkSocket socket;
  private final ConcurrentLinkedQueue<Socket> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pendingCount = new AtomicInteger();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong overruns = new AtomicLong();
  private final Thread thread;
  private final int bufferBytes;
  private volatile boolean running = true;

  private DestroyEvents(NetlinkSocket socket, int bufferBytes) {
    this.socket = socket;
    this.bufferBytes = bufferBytes;
    this.thread = new Thread(this::listen, "socketstat-destroy-events");
    thread.setDaemon(true);
  }

  /**
   * Joins the destroy groups of the calling thread's network namespace and starts listening.
   *
   * @throws NetlinkException when the kernel refuses ({@link NetlinkSocket#EPERM})
   */
  public static DestroyEvents start() throws NetlinkException {
    NetlinkSocket socket = NetlinkSocket.open(TCP_DESTROY_GROUPS);
    int bufferBytes;
    try {
      socket.receiveBuffer(RECEIVE_BUFFER);
      socket.receiveTimeout(POLL_MILLIS);
      bufferBytes = socket.receiveBufferSize();
    } catch (NetlinkException e) {
      socket.close();
      throw e;
    }
    DestroyEvents events = new DestroyEvents(socket, bufferBytes);
    events.thread.start();
    return events;
  }

  private void listen() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    RecentAddresses addresses = new RecentAddresses();
    SocketColumns decoded = new SocketColumns(0);
    Runnable malformed = () -> logger.fine("malformed destroy event");
    while (running) {
      try {
        if (socket.receive(buffer) > 0) {
          decoded.clear();
          InetDiag.decode(buffer, Protocol.TCP, addresses, decoded, malformed);
          for (Socket closed : decoded) {
            keep(closed);
          }
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
  public List<Socket> drain() {
    List<Socket> drained = new ArrayList<>();
    for (Socket closed; (closed = pending.poll()) != null; ) {
      pendingCount.decrementAndGet();
      drained.add(closed);
    }
    return drained;
  }

  /** The event socket's receive buffer, as the kernel granted it. */
  public int bufferBytes() {
    return bufferBytes;
  }

  /** Destroy events received, listeners' included. */
  public long received() {
    return received.get();
  }

  /** Times events were lost: the kernel's receive-buffer overruns, and drops for want of room. */
  public long overruns() {
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
