package io.planetexporter.task.socketstat.netlink;

import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.RecentAddresses;
import io.planetexporter.task.socketstat.table.Socket;
import io.planetexporter.task.socketstat.table.SocketColumns;
import io.planetexporter.task.socketstat.table.SocketState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Listens on the sock_diag TCP destroy groups (IPv4 and IPv6) of the namespace it was started in,
 * and keeps every closing socket, with its final counters, until the next collection takes them.
 * One thread listens for every namespace's ({@link DestroyEventLoop}).
 *
 * <p>The kernel lets any user join the groups (sock_diag is {@code NL_CFG_F_NONROOT_RECV}; checked
 * on 6.18 as user nobody without capabilities). {@code CAP_NET_ADMIN} buys the receive buffer:
 * without it the kernel caps it at {@code net.core.rmem_max} (208 KiB by default, a few hundred
 * events), which a burst of closing connections can overrun.
 *
 * <p>A kept socket's state is not the kernel's {@code CLOSE} (which every destroyed socket has) but
 * what its connection was left in, looked up as the event arrives: {@code TIME_WAIT} or {@code
 * FIN_WAIT2} when the kernel keeps a time-wait socket with its addresses and ports, {@code CLOSE}
 * when nothing is left. That tells whether the peer's FIN reached the socket when its receive queue
 * is empty (see {@code bytes.TcpByteCount}); it is looked up only then, one request each. Later
 * would be too late: once the peer's FIN reaches a {@code FIN_WAIT2} time-wait socket it turns
 * {@code TIME_WAIT}, which it also is when the FIN reached the socket itself.
 *
 * <p>Listening stops only when closed: an error is counted as a lost event, the first logged.
 */
public final class DestroyEvents implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(DestroyEvents.class.getName());

  /** {@code SKNLGRP_INET_TCP_DESTROY} (1) and {@code SKNLGRP_INET6_TCP_DESTROY} (3), as bits. */
  static final int TCP_DESTROY_GROUPS = 1 << (1 - 1) | 1 << (3 - 1);

  /** Room for bursts while this thread is off the CPU: some 20,000 events. */
  public static final int RECEIVE_BUFFER = 16 << 20;

  /** Events kept between collections, beyond which they are dropped and counted lost. */
  private static final int MAX_PENDING = 1 << 20;

  /** How long a receive may take: a lookup's answer, or events the wait said were there. */
  private static final int POLL_MILLIS = 250;

  /** One socket's message: the lookup asks for no attribute. */
  static final int LOOKUP_BUFFER = 4096;

  private final NetlinkSocket socket;

  /** Where what a closed socket left behind is looked up; the listening thread's only. */
  private final NetlinkSocket lookups;

  private final ConcurrentLinkedQueue<Socket> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pendingCount = new AtomicInteger();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong overruns = new AtomicLong();
  private final int bufferBytes;
  private final AtomicBoolean failedBefore = new AtomicBoolean();

  // The listening thread's own (or a test's, calling handle while it is not started).
  private final RecentAddresses addresses = new RecentAddresses();
  private final SocketColumns decoded = new SocketColumns(0);

  /** The last lookup's sequence number; the listening thread's only. */
  private int lookupSequence;

  /** Not listening until {@link #start} adds it to the loop (a test calls {@link #handle}). */
  DestroyEvents(NetlinkSocket socket, NetlinkSocket lookups, int bufferBytes) {
    this.socket = socket;
    this.lookups = lookups;
    this.bufferBytes = bufferBytes;
  }

  /**
   * Joins the destroy groups of the calling thread's network namespace and starts listening.
   *
   * @throws NetlinkException when the kernel refuses ({@link NetlinkSocket#EPERM})
   */
  public static DestroyEvents start() throws NetlinkException {
    NetlinkSocket socket = NetlinkSocket.open(TCP_DESTROY_GROUPS);
    NetlinkSocket lookups = null;
    try {
      socket.receiveBuffer(RECEIVE_BUFFER);
      socket.receiveTimeout(POLL_MILLIS);
      int bufferBytes = socket.receiveBufferSize();
      lookups = NetlinkSocket.open(0);
      lookups.receiveTimeout(POLL_MILLIS);
      DestroyEvents events = new DestroyEvents(socket, lookups, bufferBytes);
      DestroyEventLoop.shared().add(events);
      return events;
    } catch (NetlinkException e) {
      socket.close();
      if (lookups != null) {
        lookups.close();
      }
      throw e;
    }
  }

  /** How many namespaces' destroy events are listened to now, in this JVM. */
  public static int listening() {
    return DestroyEventLoop.shared().size();
  }

  /** The socket its events come on. */
  NetlinkSocket socket() {
    return socket;
  }

  /**
   * Receives and keeps one datagram of events (on the loop's thread, which found it readable).
   *
   * @return false after a failure that could come again at once (not an overrun)
   */
  boolean receive(ByteBuffer buffer, ByteBuffer answer, SocketColumns found) {
    try {
      if (socket.receive(buffer) > 0) {
        handle(buffer, closed -> leftBehind(closed, answer, found));
      }
      return true;
    } catch (NetlinkException e) {
      if (e.errno() == NetlinkSocket.ENOBUFS) {
        overruns.incrementAndGet(); // the kernel dropped events; their sockets count last-seen
        return true;
      }
      failed("receive failed", e);
      return false;
    } catch (RuntimeException e) {
      failed("receive failed", e);
      return true;
    }
  }

  /**
   * Keeps the sockets a datagram of destroy events announces (this thread's, or a test's). Never
   * throws: an event that cannot be read or looked up is counted lost, and the others are kept.
   */
  void handle(ByteBuffer datagram, Lookup lookup) {
    decoded.clear();
    try {
      InetDiag.decode(
          datagram,
          Protocol.TCP,
          addresses,
          decoded,
          () -> failed("malformed destroy event", null));
    } catch (NetlinkException | RuntimeException e) {
      failed("a datagram of events could not be read", e);
    }
    for (int i = 0; i < decoded.size(); i++) {
      try {
        keep(decoded.get(i), lookup);
      } catch (RuntimeException e) {
        failed("an event could not be read", e);
      }
    }
  }

  /** Counts a lost event, and says so ({@link #warn}). */
  void failed(String what, Exception e) {
    overruns.incrementAndGet();
    warn(what, e);
  }

  /**
   * Logs the first failure as a warning (the thread keeps listening), the others finer, so that a
   * kernel sending the same bad event in a loop does not flood the log.
   */
  private void warn(String what, Exception e) {
    if (failedBefore.compareAndSet(false, true)) {
      logger.log(
          Level.WARNING,
          "destroy events: "
              + what
              + "; listening goes on (further failures are logged at FINE, and lost events are"
              + " counted in planet_socketstat_destroy_events_lost_total: their connections count"
              + " at their last-seen bytes)",
          e);
    } else {
      logger.log(Level.FINE, "destroy events: " + what, e);
    }
  }

  private void keep(Socket closed, Lookup lookup) {
    received.incrementAndGet();
    Socket kept;
    try {
      kept = announced(closed, lookup);
    } catch (NetlinkException | RuntimeException e) {
      // Not lost: counted as if nothing was left behind, which is right but in one order.
      warn("a lookup of what a closed connection left behind failed", e);
      kept = withState(closed, SocketState.CLOSE); // only a socket that counts is looked up
    }
    if (kept == null) {
      return;
    }
    if (pendingCount.incrementAndGet() > MAX_PENDING) {
      pendingCount.decrementAndGet();
      overruns.incrementAndGet();
      return;
    }
    pending.add(kept);
  }

  /** Looks up what a closed socket left behind. */
  interface Lookup {
    SocketState leftBehind(Socket closed) throws NetlinkException;
  }

  /**
   * A destroyed socket as it is kept: in the state its connection was left in when nothing was
   * unread (else {@code CLOSE}); null when it counts nothing: a listener, a socket that never
   * connected, or one aborted by this host ({@code SO_LINGER} 0), which the kernel announces with
   * its peer and counters cleared, so that it counts at its last-seen bytes.
   */
  static Socket announced(Socket closed, Lookup lookup) throws NetlinkException {
    if (closed.remotePort() == 0 || closed.counters() == null) {
      return null;
    }
    return closed.counters().receiveQueue() == 0
        ? withState(closed, lookup.leftBehind(closed))
        : closed;
  }

  /**
   * The state of the time-wait socket the kernel keeps with the addresses and ports of {@code
   * closed} ({@code TIME_WAIT} or {@code FIN_WAIT2}), or {@code CLOSE} when there is none.
   */
  private SocketState leftBehind(Socket closed, ByteBuffer answer, SocketColumns found)
      throws NetlinkException {
    int sequence = ++lookupSequence;
    lookups.send(InetDiag.lookupRequest(closed, sequence));
    // An answer to an earlier request that timed out may come first: not this one's.
    int length;
    do {
      length = lookups.receive(answer);
    } while (length > 0 && InetDiag.sequence(answer) != sequence);
    return length > 0 ? leftBehind(answer, addresses, found) : SocketState.CLOSE;
  }

  /**
   * What the kernel's answer to {@link InetDiag#lookupRequest} says a closed socket left behind.
   *
   * @param found where the answer's socket is decoded
   * @throws NetlinkException when the kernel failed the lookup otherwise than finding nothing
   */
  static SocketState leftBehind(ByteBuffer answer, RecentAddresses addresses, SocketColumns found)
      throws NetlinkException {
    found.clear();
    try {
      InetDiag.decode(answer, Protocol.TCP, addresses, found, () -> {});
    } catch (NetlinkException e) {
      if (e.errno() != NetlinkSocket.ENOENT) {
        throw e;
      }
    }
    SocketState state = found.isEmpty() ? SocketState.CLOSE : found.state(0);
    // Another state: a new connection took the addresses and ports already, which tells nothing.
    return state == SocketState.TIME_WAIT || state == SocketState.FIN_WAIT2
        ? state
        : SocketState.CLOSE;
  }

  private static Socket withState(Socket socket, SocketState state) {
    return new Socket(
        socket.protocol(),
        socket.localAddress(),
        socket.localPort(),
        socket.remoteAddress(),
        socket.remotePort(),
        state,
        socket.inode(),
        socket.cookie(),
        socket.counters());
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

  /**
   * Times events were lost: the kernel's receive-buffer overruns, drops for want of room, and
   * events or receives that failed.
   */
  public long overruns() {
    return overruns.get();
  }

  /** Stops listening, then closes its sockets (which the kernel's namespace no longer keeps). */
  @Override
  public void close() {
    DestroyEventLoop.shared().remove(this);
    socket.close();
    lookups.close();
  }
}
