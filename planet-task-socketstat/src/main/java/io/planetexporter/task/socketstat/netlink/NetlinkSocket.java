package io.planetexporter.task.socketstat.netlink;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A {@code NETLINK_SOCK_DIAG} socket, through JNA's direct mapping of the C library (no C code of
 * ours). It belongs to the network namespace of the thread that opened it.
 *
 * <p>Not thread-safe: one reader at a time.
 */
public final class NetlinkSocket implements AutoCloseable {

  static final int EAGAIN = 11;
  static final int EPERM = 1;
  static final int ENOENT = 2;
  static final int ENOBUFS = 105;
  private static final int EINTR = 4;
  private static final int POLLIN = 1;

  private static final int AF_NETLINK = 16;
  private static final int SOCK_RAW = 3;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int NETLINK_SOCK_DIAG = 4;
  private static final int SOL_SOCKET = 1;
  private static final int SO_RCVBUF = 8;
  private static final int SO_RCVTIMEO = 20;
  private static final int SO_RCVBUFFORCE = 33;

  private static final Throwable UNAVAILABLE = register();

  private final int fd;
  private boolean closed;

  private NetlinkSocket(int fd) {
    this.fd = fd;
  }

  private static Throwable register() {
    try {
      if (!Platform.isLinux() || Native.SIZE_T_SIZE != 8) {
        return new UnsupportedOperationException("netlink needs 64-bit Linux");
      }
      Native.register(NetlinkSocket.class, Platform.C_LIBRARY_NAME);
      return null;
    } catch (LinkageError e) {
      return e;
    }
  }

  /** Why netlink cannot be used in this JVM, or null when it can. */
  public static Throwable unavailable() {
    return UNAVAILABLE;
  }

  private static void requireAvailable() throws NetlinkException {
    if (UNAVAILABLE != null) {
      throw new NetlinkException("netlink unavailable: " + UNAVAILABLE, 0);
    }
  }

  /**
   * Opens a socket in the calling thread's network namespace, bound to the multicast {@code groups}
   * (a bit mask; 0 for none).
   */
  static NetlinkSocket open(int groups) throws NetlinkException {
    requireAvailable();
    int fd = call("socket", () -> socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
    NetlinkSocket socket = new NetlinkSocket(fd);
    try {
      // struct sockaddr_nl: family, pad, port id (0: the kernel picks), groups.
      byte[] address = new byte[12];
      address[0] = (byte) AF_NETLINK;
      address[8] = (byte) groups;
      address[9] = (byte) (groups >>> 8);
      address[10] = (byte) (groups >>> 16);
      address[11] = (byte) (groups >>> 24);
      call("bind", () -> bind(fd, address, address.length));
      return socket;
    } catch (NetlinkException e) {
      socket.close();
      throw e;
    }
  }

  /** Sends all of {@code message} (position to limit). */
  void send(ByteBuffer message) throws NetlinkException {
    byte[] bytes = new byte[message.remaining()];
    message.duplicate().get(bytes);
    long sent = call("send", () -> send(fd, bytes, bytes.length, 0));
    if (sent != bytes.length) {
      throw new NetlinkException("short send: " + sent + " of " + bytes.length, 0);
    }
  }

  /**
   * Receives one datagram into {@code buffer} (a direct buffer), from position 0; sets its limit to
   * the length received and returns it, or -1 when a receive timeout passed with nothing to read.
   *
   * @throws NetlinkException with {@link #ENOBUFS} when the kernel dropped messages for want of
   *     receive buffer
   */
  int receive(ByteBuffer buffer) throws NetlinkException {
    buffer.clear();
    long received;
    try {
      received = recv(fd, buffer, buffer.capacity(), 0);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == EAGAIN) {
        return -1;
      }
      throw new NetlinkException("recv: " + e.getMessage(), e.getErrorCode());
    }
    buffer.limit((int) received);
    return (int) received;
  }

  /**
   * Asks for a receive buffer of {@code bytes}: beyond {@code net.core.rmem_max} with {@code
   * CAP_NET_ADMIN} ({@code SO_RCVBUFFORCE}), else up to it.
   */
  void receiveBuffer(int bytes) throws NetlinkException {
    int[] value = {bytes};
    try {
      call("setsockopt", () -> setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, value, 4));
    } catch (NetlinkException ignored) {
      call("setsockopt", () -> setsockopt(fd, SOL_SOCKET, SO_RCVBUF, value, 4));
    }
  }

  /** The receive buffer the kernel granted, in bytes (twice what was asked, for its overhead). */
  int receiveBufferSize() throws NetlinkException {
    int[] value = {0};
    int[] length = {4};
    call("getsockopt", () -> getsockopt(fd, SOL_SOCKET, SO_RCVBUF, value, length));
    return value[0];
  }

  /**
   * Waits until one of {@code sockets} has a datagram to read, at most {@code millis} (-1: no
   * limit), or until {@code wakeup} is signalled. A listener waits here rather than in a receive
   * with a timeout: that timeout comes back as {@code EAGAIN}, which JNA raises as an exception
   * with its stack trace; and with the wakeup it needs no timeout at all, so idle listeners cost
   * nothing.
   *
   * @return for each socket, whether a datagram (or an error) waits to be received; none when
   *     woken, after the time, or after a signal
   */
  static boolean[] awaitReadable(List<NetlinkSocket> sockets, Wakeup wakeup, int millis)
      throws NetlinkException {
    // A struct pollfd each: int fd; short events; short revents (the second int holds both shorts).
    int events = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? POLLIN : POLLIN << 16;
    int count = sockets.size();
    int[] pollfds = new int[2 * (count + 1)];
    for (int i = 0; i < count; i++) {
      pollfds[2 * i] = sockets.get(i).fd;
      pollfds[2 * i + 1] = events;
    }
    pollfds[2 * count] = wakeup.fd;
    pollfds[2 * count + 1] = events;
    boolean[] readable = new boolean[count];
    try {
      if (poll(pollfds, count + 1, millis) > 0) {
        for (int i = 0; i < count; i++) {
          readable[i] = revents(pollfds[2 * i + 1]) != 0;
        }
      }
      return readable;
    } catch (LastErrorException e) {
      if (e.getErrorCode() == EINTR) {
        return readable;
      }
      throw new NetlinkException("poll: " + e.getMessage(), e.getErrorCode());
    }
  }

  /** The {@code revents} of a struct pollfd's second int. */
  private static int revents(int eventsAndRevents) {
    return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
        ? eventsAndRevents >>> 16
        : eventsAndRevents & 0xffff;
  }

  /** Makes {@link #receive} give up after {@code millis} with nothing to read. */
  void receiveTimeout(long millis) throws NetlinkException {
    long[] timeval = {millis / 1000, millis % 1000 * 1000};
    call("setsockopt", () -> setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeval, 16));
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      close(fd);
    }
  }

  /**
   * An {@code eventfd} that ends a wait in {@link #awaitReadable} from another thread: a blocked
   * {@code poll} does not return when its socket is closed.
   */
  static final class Wakeup implements AutoCloseable {

    private static final int EFD_NONBLOCK = 0x800;
    private static final int EFD_CLOEXEC = 0x80000;

    private final int fd;
    private boolean closed;

    private Wakeup(int fd) {
      this.fd = fd;
    }

    static Wakeup open() throws NetlinkException {
      requireAvailable();
      return new Wakeup(call("eventfd", () -> eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)));
    }

    /** Ends every wait on it, now and later (it stays readable until {@link #clear}). */
    synchronized void signal() {
      if (!closed) {
        write(fd, new long[] {1}, 8);
      }
    }

    /** Makes it unreadable again, taking back every signal so far. */
    synchronized void clear() {
      if (!closed) {
        read(fd, new long[1], 8); // -1 (EAGAIN) when not signalled: nothing to take back
      }
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        NetlinkSocket.close(fd);
      }
    }
  }

  private interface Call {
    long invoke();
  }

  private static int call(String name, Call call) throws NetlinkException {
    try {
      return (int) call.invoke();
    } catch (LastErrorException e) {
      throw new NetlinkException(name + ": " + e.getMessage(), e.getErrorCode());
    }
  }

  private static native int socket(int domain, int type, int protocol) throws LastErrorException;

  private static native int bind(int fd, byte[] address, int length) throws LastErrorException;

  private static native long send(int fd, byte[] buffer, long length, int flags)
      throws LastErrorException;

  private static native long recv(int fd, ByteBuffer buffer, long length, int flags)
      throws LastErrorException;

  private static native int setsockopt(int fd, int level, int name, int[] value, int length)
      throws LastErrorException;

  private static native int setsockopt(int fd, int level, int name, long[] value, int length)
      throws LastErrorException;

  private static native int getsockopt(int fd, int level, int name, int[] value, int[] length)
      throws LastErrorException;

  private static native int poll(int[] fds, long count, int timeoutMillis)
      throws LastErrorException;

  private static native int close(int fd);

  private static native int eventfd(int initialValue, int flags) throws LastErrorException;

  /** No exception: an eventfd that was not written has nothing to read, which changes nothing. */
  private static native long read(int fd, long[] value, long length);

  /** No exception: an eventfd written once cannot overflow, and a failure would change nothing. */
  private static native long write(int fd, long[] value, long length);
}
