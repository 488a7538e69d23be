package io.planetexporter.task.socketstat.table;

import io.planetexporter.net.IpAddress;
import io.planetexporter.task.socketstat.netlink.NetlinkSocketSource;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * Sockets held as columns of primitives, each {@link Socket} made only when asked for and not kept.
 *
 * <p>Why: a table of 80,000 sockets as objects (a {@link Socket} and a {@link TcpInfo} each) lives
 * through a whole collection, so with the exporter's small young generation it is promoted and
 * fills the old generation with garbage every collection; as columns, a dozen arrays, a datagram's
 * part of a table is decoded and read without an object per socket, and the listeners' part is
 * reused from one collection to the next (see {@link NetlinkSocketSource#recycle}).
 *
 * <p>Filled by one thread, then read-only: a list that is no longer added to may be read from any
 * thread it was safely published to, until it is cleared.
 */
public final class SocketColumns extends AbstractList<Socket> implements RandomAccess {

  private static final Protocol[] PROTOCOLS = Protocol.values();
  private static final SocketState[] STATES = SocketState.values();

  private int size;
  private byte[] protocol;
  private byte[] state;
  private IpAddress[] local;
  private IpAddress[] remote;
  private char[] localPort;
  private char[] remotePort;

  // The kernel's u32 fields (idiag_inode, idiag_rqueue and idiag_wqueue, tcpi_segs_out and
  // tcpi_segs_in) are held in int columns, read back unsigned: at 80,000 rows each column so
  // narrowed is 320 KB less heap that a collection keeps.
  private int[] inode;
  private long[] cookie;

  /** -1 for a socket without counters. */
  private long[] bytesAcked;

  private long[] bytesReceived;
  private long[] bytesSent;
  private long[] bytesRetrans;
  private int[] receiveQueue;

  // Health (see health()): 0, 0, -1, -1 for a row the decoder gave none. A segment count of
  // 2^32 - 1, the same 32 bits as -1, reads back as none: no connect failure sends so many.
  private int[] sendQueue;
  private int[] rttMicros;
  private int[] segmentsOut;
  private int[] segmentsIn;

  public SocketColumns(int capacity) {
    allocate(Math.max(16, capacity));
  }

  private void allocate(int capacity) {
    protocol = Arrays.copyOf(protocol == null ? new byte[0] : protocol, capacity);
    state = Arrays.copyOf(state == null ? new byte[0] : state, capacity);
    local = Arrays.copyOf(local == null ? new IpAddress[0] : local, capacity);
    remote = Arrays.copyOf(remote == null ? new IpAddress[0] : remote, capacity);
    localPort = Arrays.copyOf(localPort == null ? new char[0] : localPort, capacity);
    remotePort = Arrays.copyOf(remotePort == null ? new char[0] : remotePort, capacity);
    inode = Arrays.copyOf(inode == null ? new int[0] : inode, capacity);
    cookie = Arrays.copyOf(cookie == null ? new long[0] : cookie, capacity);
    bytesAcked = Arrays.copyOf(bytesAcked == null ? new long[0] : bytesAcked, capacity);
    bytesReceived = Arrays.copyOf(bytesReceived == null ? new long[0] : bytesReceived, capacity);
    bytesSent = Arrays.copyOf(bytesSent == null ? new long[0] : bytesSent, capacity);
    bytesRetrans = Arrays.copyOf(bytesRetrans == null ? new long[0] : bytesRetrans, capacity);
    receiveQueue = Arrays.copyOf(receiveQueue == null ? new int[0] : receiveQueue, capacity);
    sendQueue = Arrays.copyOf(sendQueue == null ? new int[0] : sendQueue, capacity);
    rttMicros = Arrays.copyOf(rttMicros == null ? new int[0] : rttMicros, capacity);
    segmentsOut = Arrays.copyOf(segmentsOut == null ? new int[0] : segmentsOut, capacity);
    segmentsIn = Arrays.copyOf(segmentsIn == null ? new int[0] : segmentsIn, capacity);
  }

  /** Empties the list, keeping its arrays for the next table. */
  @Override
  public void clear() {
    Arrays.fill(local, 0, size, null);
    Arrays.fill(remote, 0, size, null);
    size = 0;
  }

  /** How many sockets it holds without growing. */
  public int capacity() {
    return inode.length;
  }

  /**
   * Adds a socket.
   *
   * @param inode below 2^32, as the kernel's
   * @param bytesAcked -1 when the socket has no counters, and then the other counters are ignored
   * @param receiveQueue below 2^32, as the kernel's; -1 with no counters
   * @throws IllegalArgumentException when the inode does not fit in 32 bits
   */
  public void add(
      Protocol protocol,
      SocketState state,
      IpAddress local,
      int localPort,
      IpAddress remote,
      int remotePort,
      long inode,
      long cookie,
      long bytesAcked,
      long bytesReceived,
      long bytesSent,
      long bytesRetrans,
      long receiveQueue) {
    if (inode >>> 32 != 0) {
      throw new IllegalArgumentException("inode " + inode + " does not fit in 32 bits");
    }
    if (size == this.inode.length) {
      allocate(size * 2);
    }
    int i = size++;
    this.protocol[i] = (byte) protocol.ordinal();
    this.state[i] = (byte) state.ordinal();
    this.local[i] = local;
    this.localPort[i] = (char) localPort;
    this.remote[i] = remote;
    this.remotePort[i] = (char) remotePort;
    this.inode[i] = (int) inode;
    this.cookie[i] = cookie;
    this.bytesAcked[i] = bytesAcked;
    this.bytesReceived[i] = bytesReceived;
    this.bytesSent[i] = bytesSent;
    this.bytesRetrans[i] = bytesRetrans;
    this.receiveQueue[i] = (int) receiveQueue;
    this.sendQueue[i] = 0;
    this.rttMicros[i] = 0;
    this.segmentsOut[i] = -1;
    this.segmentsIn[i] = -1;
  }

  /**
   * Gives the row just added its health fields, as {@link TcpInfo} names them (the decoder's; other
   * rows keep none: queue limit and RTT 0, segments -1). Each is the kernel's u32 (segments -1 for
   * none); only their low 32 bits are kept.
   */
  public void health(long sendQueue, long rttMicros, long segmentsOut, long segmentsIn) {
    int i = size - 1;
    this.sendQueue[i] = (int) sendQueue;
    this.rttMicros[i] = (int) Math.min(Integer.MAX_VALUE, rttMicros);
    this.segmentsOut[i] = (int) segmentsOut;
    this.segmentsIn[i] = (int) segmentsIn;
  }

  /** Adds row {@code i} of {@code from}, as it is, health and all. */
  public void add(SocketColumns from, int i) {
    add(
        from.protocol(i),
        from.state(i),
        from.local[i],
        from.localPort[i],
        from.remote[i],
        from.remotePort[i],
        from.inode(i),
        from.cookie[i],
        from.bytesAcked[i],
        from.bytesReceived[i],
        from.bytesSent[i],
        from.bytesRetrans[i],
        Integer.toUnsignedLong(from.receiveQueue[i]));
    int at = size - 1;
    sendQueue[at] = from.sendQueue[i];
    rttMicros[at] = from.rttMicros[i];
    segmentsOut[at] = from.segmentsOut[i];
    segmentsIn[at] = from.segmentsIn[i];
  }

  /** Sockets as columns, in the order given (the proc source's table, tests' tables). */
  public static SocketColumns of(List<Socket> sockets) {
    SocketColumns columns = new SocketColumns(sockets.size());
    for (Socket socket : sockets) {
      columns.append(socket);
    }
    return columns;
  }

  /** Adds a socket made elsewhere, its counters and health with it. */
  void append(Socket socket) {
    TcpInfo counters = socket.counters();
    add(
        socket.protocol(),
        socket.state(),
        socket.localAddress(),
        socket.localPort(),
        socket.remoteAddress(),
        socket.remotePort(),
        socket.inode(),
        socket.cookie(),
        counters == null ? -1 : counters.bytesAcked(),
        counters == null ? -1 : counters.bytesReceived(),
        counters == null ? -1 : counters.bytesSent(),
        counters == null ? -1 : counters.bytesRetrans(),
        counters == null ? -1 : counters.receiveQueue());
    if (counters != null) {
      health(
          counters.sendQueue(),
          counters.rttMicros(),
          counters.segmentsOut(),
          counters.segmentsIn());
    }
  }

  /** A new socket object for row {@code i}. */
  @Override
  public Socket get(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(i);
    }
    return new Socket(
        protocol(i),
        local[i],
        localPort[i],
        remote[i],
        remotePort[i],
        state(i),
        inode(i),
        cookie[i],
        hasCounters(i)
            ? new TcpInfo(
                bytesAcked[i],
                bytesReceived[i],
                bytesSent[i],
                bytesRetrans[i],
                receiveQueue(i),
                sendQueue(i),
                rttMicros[i],
                segments(segmentsOut[i]),
                segments(segmentsIn[i]))
            : null);
  }

  // Row by row, column by column: the passes of a collection read these instead of making a
  // Socket (and its TcpInfo) of every row, which filled the young generation several times a
  // collection. Like get, each is for a row below size().

  public Protocol protocol(int i) {
    return PROTOCOLS[protocol[i]];
  }

  public SocketState state(int i) {
    return STATES[state[i]];
  }

  public IpAddress localAddress(int i) {
    return local[i];
  }

  public int localPort(int i) {
    return localPort[i];
  }

  public IpAddress remoteAddress(int i) {
    return remote[i];
  }

  public int remotePort(int i) {
    return remotePort[i];
  }

  public long inode(int i) {
    return Integer.toUnsignedLong(inode[i]);
  }

  public long cookie(int i) {
    return cookie[i];
  }

  /** Whether the row has TCP counters ({@link Socket#counters()} not null). */
  public boolean hasCounters(int i) {
    return bytesAcked[i] >= 0;
  }

  public long bytesAcked(int i) {
    return bytesAcked[i];
  }

  public long bytesReceived(int i) {
    return bytesReceived[i];
  }

  public long bytesSent(int i) {
    return bytesSent[i];
  }

  public long bytesRetrans(int i) {
    return bytesRetrans[i];
  }

  /** As {@link TcpInfo#receiveQueue()}: a listener's accept queue. */
  public long receiveQueue(int i) {
    return hasCounters(i) ? Integer.toUnsignedLong(receiveQueue[i]) : -1;
  }

  /** As {@link TcpInfo#sendQueue()}: a listener's accept queue limit. */
  public long sendQueue(int i) {
    return Integer.toUnsignedLong(sendQueue[i]);
  }

  private static long segments(int count) {
    return count == -1 ? -1 : Integer.toUnsignedLong(count);
  }

  /** As {@link TcpInfo#rttMicros()}. */
  public int rttMicros(int i) {
    return rttMicros[i];
  }

  @Override
  public int size() {
    return size;
  }
}
