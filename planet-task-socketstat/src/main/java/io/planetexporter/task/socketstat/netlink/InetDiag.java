package io.planetexporter.task.socketstat.netlink;

import io.planetexporter.net.IpAddress;
import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.RecentAddresses;
import io.planetexporter.task.socketstat.table.Socket;
import io.planetexporter.task.socketstat.table.SocketColumns;
import io.planetexporter.task.socketstat.table.SocketState;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The sock_diag protocol for inet sockets ({@code linux/inet_diag.h}, {@code linux/sock_diag.h}),
 * as pure functions over buffers: the dump request and the decoding of its answer and of destroy
 * events.
 *
 * <p>Header and counters are in the host's byte order, ports and addresses in network order.
 * Attributes are found by type and length, so a message or a {@code tcp_info} shorter or longer
 * than this code's idea of it still decodes: a counter the struct ends before is simply unknown.
 *
 * <p>Decoding never throws but {@link NetlinkException} for the kernel's {@code NLMSG_ERROR}:
 * whatever the bytes, a message is a socket, or counted malformed and skipped, or (its counters
 * beyond 2^63, which no kernel counts to) a socket without counters, counted malformed too ({@code
 * InetDiagPropertiesTest} holds it to that).
 */
final class InetDiag {

  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  static final int IPPROTO_TCP = 6;
  static final int IPPROTO_UDP = 17;

  static final int NLMSG_HEADER = 16;
  static final int NLMSG_ERROR = 2;
  static final int NLMSG_DONE = 3;
  static final int SOCK_DIAG_BY_FAMILY = 20;

  /**
   * The older request for TCP sockets ({@code struct inet_diag_req}), which the kernel answers for
   * both families in one walk of its socket hash, where a {@code SOCK_DIAG_BY_FAMILY} request walks
   * it once per family; its answers have this type too.
   */
  static final int TCPDIAG_GETSOCK = 18;

  private static final int NLM_F_REQUEST = 0x1;

  /** {@code INET_DIAG_NOCOOKIE}: a lookup by addresses and ports, whatever the socket's cookie. */
  private static final int NO_COOKIE = 0xffffffff;

  private static final int NLM_F_DUMP = 0x300;
  private static final int REQUEST_LENGTH = NLMSG_HEADER + 56;
  private static final int TCP_REQUEST_LENGTH = NLMSG_HEADER + 60;

  /** {@code struct inet_diag_msg}: family, state, timer, retrans, the 48-byte id, then 5 u32. */
  static final int MESSAGE_LENGTH = 72;

  private static final int INET_DIAG_INFO = 2;

  /**
   * Every state {@code /proc/net/*} lists: bits 1 ({@code ESTABLISHED}) to 12 ({@code
   * NEW_SYN_RECV}). Not bit 13, {@code BOUND_INACTIVE}: bound, never listening sockets, which
   * {@code /proc} does not show.
   */
  static final int ALL_STATES = 0x1ffe;

  // Offsets in tcp_info (linux/tcp.h); each counter is known only if the struct reaches its end.
  private static final int TCPI_RTT = 68;
  private static final int TCPI_BYTES_ACKED = 120;
  private static final int TCPI_BYTES_RECEIVED = 128;
  private static final int TCPI_SEGS_OUT = 136;
  private static final int TCPI_SEGS_IN = 140;
  private static final int TCPI_BYTES_SENT = 200;
  private static final int TCPI_BYTES_RETRANS = 208;

  // Fields read through views of the byte array: C1, the exporter's only compiler, compiles a
  // constant view's get to one bounds-checked load, where assembling an int of four bytes was a
  // call it would not inline (about 9x the time in a C1-only loop); a table of 80,000 sockets
  // reads about a million fields.
  private static final VarHandle NETWORK_CHAR = view(char[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle NETWORK_INT = view(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle NETWORK_LONG = view(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle HOST_CHAR = view(char[].class, ByteOrder.nativeOrder());
  private static final VarHandle HOST_INT = view(int[].class, ByteOrder.nativeOrder());
  private static final VarHandle HOST_LONG = view(long[].class, ByteOrder.nativeOrder());

  /** Each thread's copy of the datagram it decodes (the table's reader, the destroy events'). */
  private static final ThreadLocal<byte[]> COPIES = ThreadLocal.withInitial(() -> new byte[0]);

  private InetDiag() {}

  private static VarHandle view(Class<?> arrayType, ByteOrder order) {
    return MethodHandles.byteArrayViewVarHandle(arrayType, order);
  }

  /**
   * An {@code inet_diag_req_v2} dump of every socket of one family and protocol in {@code states},
   * asking TCP sockets for {@code INET_DIAG_INFO}; ready to send.
   */
  static ByteBuffer dumpRequest(int family, int protocol, int states, int sequence) {
    ByteBuffer request = dumpHeader(REQUEST_LENGTH, SOCK_DIAG_BY_FAMILY, sequence);
    request.put((byte) family);
    request.put((byte) protocol);
    request.put((byte) (protocol == IPPROTO_TCP ? 1 << (INET_DIAG_INFO - 1) : 0));
    request.put((byte) 0);
    request.putInt(states);
    // inet_diag_sockid stays zero: no filter on ports, addresses, interface or cookie.
    return request.position(0);
  }

  /**
   * A {@code TCPDIAG_GETSOCK} dump of every TCP socket of both families in {@code states}, asking
   * for {@code INET_DIAG_INFO}; ready to send. One walk of the kernel's hash instead of two: about
   * 15 ms of system time less at 80,000 sockets (BENCHMARKS.md).
   */
  static ByteBuffer tcpDumpRequest(int states, int sequence) {
    ByteBuffer request = dumpHeader(TCP_REQUEST_LENGTH, TCPDIAG_GETSOCK, sequence);
    request.put((byte) 0); // idiag_family: a dump ignores it and gives both
    request.put((byte) 0); // idiag_src_len
    request.put((byte) 0); // idiag_dst_len
    request.put((byte) (1 << (INET_DIAG_INFO - 1)));
    // inet_diag_sockid stays zero: no filter on ports, addresses, interface or cookie.
    request.position(request.position() + 48);
    request.putInt(states);
    request.putInt(0); // idiag_dbs
    return request.position(0);
  }

  /**
   * An {@code inet_diag_req_v2} for the one TCP socket, full or time-wait, that now has the
   * addresses and ports of {@code socket}; ready to send. The kernel answers with that socket's
   * message, or {@code NLMSG_ERROR} {@code ENOENT} when there is none. Asked on any interface: a
   * socket bound to one ({@code SO_BINDTODEVICE}) is not found.
   */
  static ByteBuffer lookupRequest(Socket socket, int sequence) {
    ByteBuffer request = header(REQUEST_LENGTH, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, sequence);
    boolean ipv4 = socket.localAddress().isIpv4() && socket.remoteAddress().isIpv4();
    request.put((byte) (ipv4 ? AF_INET : AF_INET6));
    request.put((byte) IPPROTO_TCP);
    request.put((byte) 0); // no extension: only its state is wanted
    request.put((byte) 0);
    request.putInt(ALL_STATES);
    request.order(ByteOrder.BIG_ENDIAN);
    request.putShort((short) socket.localPort());
    request.putShort((short) socket.remotePort());
    putAddress(request, socket.localAddress(), ipv4);
    putAddress(request, socket.remoteAddress(), ipv4);
    request.order(ByteOrder.nativeOrder());
    request.putInt(0); // idiag_if: any
    request.putInt(NO_COOKIE);
    request.putInt(NO_COOKIE);
    return request.position(0);
  }

  /** A 16-byte address field of {@code inet_diag_sockid}: IPv4 in its first 4 bytes. */
  private static void putAddress(ByteBuffer request, IpAddress address, boolean ipv4) {
    if (ipv4) {
      request.putInt(address.ipv4Bits()).putInt(0).putLong(0);
    } else {
      request.putLong(address.high()).putLong(address.low());
    }
  }

  /** A request of {@code length} bytes with its {@code nlmsghdr} for a dump written. */
  private static ByteBuffer dumpHeader(int length, int type, int sequence) {
    return header(length, type, NLM_F_REQUEST | NLM_F_DUMP, sequence);
  }

  private static ByteBuffer header(int length, int type, int flags, int sequence) {
    ByteBuffer request = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
    request.putInt(length);
    request.putShort((short) type);
    request.putShort((short) flags);
    request.putInt(sequence);
    request.putInt(0); // port id: the kernel's
    return request;
  }

  /** The sequence number of the first message in {@code buffer}, 0 when it holds none. */
  static int sequence(ByteBuffer buffer) {
    return buffer.remaining() >= NLMSG_HEADER
        ? buffer.duplicate().order(ByteOrder.nativeOrder()).getInt(buffer.position() + 8)
        : 0;
  }

  /** What a buffer of netlink messages held besides sockets. */
  enum Outcome {
    /** More messages follow in the next read. */
    MORE,
    /** {@code NLMSG_DONE}: the dump is complete. */
    DONE
  }

  /**
   * Decodes the netlink messages in {@code buffer} (from its position to its limit), adding each
   * socket to {@code sockets}.
   *
   * @param protocol the protocol dumped ({@code inet_diag_msg} does not say)
   * @param addresses where the sockets' addresses are made, shared by the buffers of one table
   * @param malformed counts messages too short to be a socket, and sockets whose counters do not
   *     fit a long (kept, without counters)
   * @throws NetlinkException for an {@code NLMSG_ERROR} message; nothing else, whatever the bytes
   */
  static Outcome decode(
      ByteBuffer buffer,
      Protocol protocol,
      RecentAddresses addresses,
      SocketColumns sockets,
      Runnable malformed)
      throws NetlinkException {
    // Read from an array (a copy of a direct buffer) through the views above: C1 compiles those
    // inline, where a buffer's getShort is a few calls deep.
    byte[] in;
    int at;
    int limit;
    if (buffer.hasArray()) {
      in = buffer.array();
      at = buffer.arrayOffset() + buffer.position();
      limit = buffer.arrayOffset() + buffer.limit();
    } else {
      in = COPIES.get();
      if (in.length < buffer.remaining()) {
        in = new byte[buffer.remaining()];
        COPIES.set(in);
      }
      buffer.get(buffer.position(), in, 0, buffer.remaining());
      at = 0;
      limit = buffer.remaining();
    }
    while (limit - at >= NLMSG_HEADER) {
      int length = hostInt(in, at);
      int type = hostShort(in, at + 4);
      if (length < NLMSG_HEADER || length > limit - at) {
        malformed.run();
        return Outcome.MORE;
      }
      if (type == NLMSG_DONE) {
        return Outcome.DONE;
      }
      if (type == NLMSG_ERROR) {
        int errno = length >= NLMSG_HEADER + 4 ? -hostInt(in, at + NLMSG_HEADER) : 0;
        throw new NetlinkException("sock_diag dump failed", errno);
      }
      if ((type == SOCK_DIAG_BY_FAMILY || type == TCPDIAG_GETSOCK)
          && !socket(in, at + NLMSG_HEADER, at + length, protocol, addresses, sockets)) {
        malformed.run();
      }
      at += align(length);
    }
    return Outcome.MORE;
  }

  /**
   * Adds one {@code inet_diag_msg} and its attributes (the payload of a {@code SOCK_DIAG_BY_FAMILY}
   * message, dumped or announced on a destroy group) from {@code start} to {@code end} of {@code
   * in} to {@code sockets}.
   *
   * @return false when it is too short or of an unknown family (nothing added), or when its
   *     counters do not fit a long (added without them)
   */
  private static boolean socket(
      byte[] in,
      int start,
      int end,
      Protocol protocol,
      RecentAddresses addresses,
      SocketColumns sockets) {
    if (end - start < MESSAGE_LENGTH) {
      return false;
    }
    int family = in[start] & 0xff;
    int state = in[start + 1] & 0xff;
    int localPort = networkShort(in, start + 4);
    int remotePort = networkShort(in, start + 6);
    IpAddress local = address(in, start + 8, family, addresses);
    IpAddress remote = address(in, start + 24, family, addresses);
    if (local == null || remote == null) {
      return false;
    }
    long cookie = (hostInt(in, start + 44) & 0xffffffffL) | (long) hostInt(in, start + 48) << 32;
    long inode = hostInt(in, start + 68) & 0xffffffffL;
    // The counters of a tcp_info of any length; unknown (-1) where it ends before them.
    long acked = -1;
    long received = -1;
    long sent = -1;
    long retrans = -1;
    boolean fits = true;
    long rtt = 0;
    long segmentsOut = -1;
    long segmentsIn = -1;
    int offset = start + MESSAGE_LENGTH;
    while (offset + 4 <= end) {
      int length = hostShort(in, offset);
      int type = hostShort(in, offset + 2) & 0x7fff; // without NLA_F_NESTED
      if (length < 4 || offset + length > end) {
        break;
      }
      int info = offset + 4;
      int infoLength = length - 4;
      if (type == INET_DIAG_INFO
          && protocol == Protocol.TCP
          && infoLength >= TCPI_BYTES_RECEIVED + 8) {
        acked = hostLong(in, info + TCPI_BYTES_ACKED);
        received = hostLong(in, info + TCPI_BYTES_RECEIVED);
        boolean knowsSent = infoLength >= TCPI_BYTES_RETRANS + 8;
        sent = knowsSent ? hostLong(in, info + TCPI_BYTES_SENT) : -1;
        retrans = knowsSent ? hostLong(in, info + TCPI_BYTES_RETRANS) : -1;
        // A u64 at 2^63 or beyond reads negative: no kernel counts that far, so the message is
        // corrupt and its counters cannot be trusted. The socket still counts in the table.
        fits = acked >= 0 && received >= 0 && (!knowsSent || (sent >= 0 && retrans >= 0));
        rtt = hostInt(in, info + TCPI_RTT) & 0xffffffffL;
        if (infoLength >= TCPI_SEGS_IN + 4) {
          segmentsOut = hostInt(in, info + TCPI_SEGS_OUT) & 0xffffffffL;
          segmentsIn = hostInt(in, info + TCPI_SEGS_IN) & 0xffffffffL;
        }
      }
      offset += align(length);
    }
    if (!fits) {
      acked = -1; // no counters
    }
    sockets.add(
        protocol,
        SocketState.ofCode(state),
        local,
        localPort,
        remote,
        remotePort,
        inode,
        cookie,
        acked,
        received,
        sent,
        retrans,
        hostInt(in, start + 56) & 0xffffffffL);
    if (acked >= 0) {
      sockets.health(hostInt(in, start + 60) & 0xffffffffL, rtt, segmentsOut, segmentsIn);
    }
    return fits;
  }

  private static IpAddress address(byte[] in, int offset, int family, RecentAddresses addresses) {
    if (family == AF_INET) {
      return addresses.of(0, IpAddress.MAPPED_PREFIX | (networkInt(in, offset) & 0xffffffffL));
    }
    if (family == AF_INET6) {
      return addresses.of(networkLong(in, offset), networkLong(in, offset + 8));
    }
    return null;
  }

  private static int networkShort(byte[] in, int at) {
    return (char) NETWORK_CHAR.get(in, at);
  }

  private static int networkInt(byte[] in, int at) {
    return (int) NETWORK_INT.get(in, at);
  }

  private static long networkLong(byte[] in, int at) {
    return (long) NETWORK_LONG.get(in, at);
  }

  /** An unsigned 16-bit field in the host's order. */
  private static int hostShort(byte[] in, int at) {
    return (char) HOST_CHAR.get(in, at);
  }

  private static int hostInt(byte[] in, int at) {
    return (int) HOST_INT.get(in, at);
  }

  private static long hostLong(byte[] in, int at) {
    return (long) HOST_LONG.get(in, at);
  }

  private static int align(int length) {
    return (length + 3) & ~3;
  }
}
