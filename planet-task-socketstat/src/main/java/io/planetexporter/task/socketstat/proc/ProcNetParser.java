package io.planetexporter.task.socketstat.proc;

import io.planetexporter.net.IpAddress;
import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.RecentAddresses;
import io.planetexporter.task.socketstat.table.Socket;
import io.planetexporter.task.socketstat.table.SocketState;
import io.planetexporter.task.socketstat.table.SocketTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streaming parser of {@code /proc/net/{tcp,tcp6,udp,udp6}}, reading fields straight from the
 * bytes.
 *
 * <p>The kernel prints each 32-bit word of an address with {@code %08X} of its in-memory value, so
 * on a little-endian host {@code 127.0.0.1} reads {@code 0100007F}: every word is byte-swapped back
 * to network order here. Ports are already in host order. The header line is skipped; a line that
 * does not parse (including a last line cut before its newline) is skipped and counted.
 *
 * <pre>{@code
 * try (InputStream in = Files.newInputStream(Path.of("/proc/net/tcp6"))) {
 *   SocketTable table = ProcNetParser.parse(in, Protocol.TCP);
 * }
 * }</pre>
 */
public final class ProcNetParser {

  private static final int INITIAL_BUFFER = 64 * 1024;

  /** Fields between the state and the uid: tx:rx queue, tr:when, retrnsmt. */
  private static final int FIELDS_BEFORE_UID = 3;

  private final Protocol protocol;
  private final boolean swapWords;
  private final List<Socket> sockets = new ArrayList<>();

  private final RecentAddresses addresses = new RecentAddresses();

  private int unparsableLines;

  private byte[] line;
  private int pos;
  private int end;

  private ProcNetParser(Protocol protocol, ByteOrder byteOrder) {
    this.protocol = protocol;
    this.swapWords = byteOrder == ByteOrder.LITTLE_ENDIAN;
  }

  /** Parses one file written by this host's kernel (words in this machine's byte order). */
  public static SocketTable parse(InputStream in, Protocol protocol) throws IOException {
    return parse(in, protocol, ByteOrder.nativeOrder());
  }

  /** Parses one file written by a kernel running in {@code byteOrder}. */
  static SocketTable parse(InputStream in, Protocol protocol, ByteOrder byteOrder)
      throws IOException {
    ProcNetParser parser = new ProcNetParser(protocol, byteOrder);
    parser.readLines(in);
    return new SocketTable(parser.sockets, parser.unparsableLines);
  }

  private void readLines(InputStream in) throws IOException {
    byte[] buffer = new byte[INITIAL_BUFFER];
    int start = 0;
    int filled = 0;
    int scanned = 0;
    while (true) {
      int newline = indexOf(buffer, (byte) '\n', scanned, filled);
      if (newline >= 0) {
        parseLine(buffer, start, newline);
        start = newline + 1;
        scanned = start;
        continue;
      }
      scanned = filled;
      if (start > 0) {
        System.arraycopy(buffer, start, buffer, 0, filled - start);
        filled -= start;
        scanned -= start;
        start = 0;
      } else if (filled == buffer.length) {
        buffer = Arrays.copyOf(buffer, buffer.length * 2);
      }
      int read = in.read(buffer, filled, buffer.length - filled);
      if (read < 0) {
        if (filled > start) {
          unparsableLines++; // cut before its newline
        }
        return;
      }
      filled += read;
    }
  }

  private static int indexOf(byte[] buffer, byte wanted, int from, int to) {
    for (int i = from; i < to; i++) {
      if (buffer[i] == wanted) {
        return i;
      }
    }
    return -1;
  }

  private void parseLine(byte[] buffer, int from, int to) {
    line = buffer;
    pos = from;
    end = to;
    skipSpaces();
    if (pos == end) {
      return;
    }
    if (!isDigit(line[pos])) {
      return; // the header, "  sl  local_address ..."
    }
    Socket socket = socketFields();
    if (socket == null) {
      unparsableLines++;
    } else {
      sockets.add(socket);
    }
  }

  /** The fields of a data line, cursor just after leading spaces; null when malformed. */
  private Socket socketFields() {
    if (decimal() < 0 || !expect(':')) {
      return null;
    }
    skipSpaces();
    IpAddress local = address();
    if (local == null || !expect(':')) {
      return null;
    }
    long localPort = hex(4);
    skipSpaces();
    IpAddress remote = address();
    if (remote == null || !expect(':')) {
      return null;
    }
    long remotePort = hex(4);
    skipSpaces();
    long state = hex(2);
    if (localPort < 0 || remotePort < 0 || state < 0) {
      return null;
    }
    for (int i = 0; i < FIELDS_BEFORE_UID; i++) {
      if (!skipField()) {
        return null;
      }
    }
    skipSpaces();
    long uid = decimal(); // checked but not kept: nothing reads it
    if (uid < 0 || uid > 0xffffffffL || !skipField()) { // then the timeout
      return null;
    }
    skipSpaces();
    long inode = decimal();
    // A socket's inode is the kernel's unsigned int (get_next_ino), as netlink's idiag_inode.
    if (inode < 0 || inode > 0xffffffffL || (pos < end && line[pos] != ' ')) {
      return null;
    }
    return new Socket(
        protocol,
        local,
        (int) localPort,
        remote,
        (int) remotePort,
        SocketState.ofCode((int) state),
        inode,
        0,
        null);
  }

  /** 8 hex digits (IPv4) or 32 (IPv6, four words), up to the ':' before the port. */
  private IpAddress address() {
    int colon = pos;
    while (colon < end && line[colon] != ':') {
      colon++;
    }
    switch (colon - pos) {
      case 8:
        long word = hex(8);
        return word < 0
            ? null
            : intern(0, IpAddress.MAPPED_PREFIX | (networkOrder(word) & 0xffffffffL));
      case 32:
        long w0 = hex(8);
        long w1 = hex(8);
        long w2 = hex(8);
        long w3 = hex(8);
        if ((w0 | w1 | w2 | w3) < 0) {
          return null;
        }
        return intern(
            (long) networkOrder(w0) << 32 | (networkOrder(w1) & 0xffffffffL),
            (long) networkOrder(w2) << 32 | (networkOrder(w3) & 0xffffffffL));
      default:
        return null;
    }
  }

  private IpAddress intern(long high, long low) {
    return addresses.of(high, low);
  }

  private int networkOrder(long word) {
    return swapWords ? Integer.reverseBytes((int) word) : (int) word;
  }

  /** Exactly {@code digits} hex digits as an unsigned value, or -1. */
  private long hex(int digits) {
    if (end - pos < digits) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < digits; i++) {
      int digit = Character.digit(line[pos++], 16);
      if (digit < 0) {
        return -1;
      }
      value = value << 4 | digit;
    }
    return value;
  }

  /** One or more decimal digits, or -1. */
  private long decimal() {
    int start = pos;
    long value = 0;
    while (pos < end && isDigit(line[pos]) && pos - start < 19) {
      value = value * 10 + (line[pos++] - '0');
    }
    return pos == start ? -1 : value;
  }

  private boolean expect(char wanted) {
    if (pos < end && line[pos] == wanted) {
      pos++;
      return true;
    }
    return false;
  }

  private boolean skipField() {
    skipSpaces();
    int start = pos;
    while (pos < end && line[pos] != ' ') {
      pos++;
    }
    return pos > start;
  }

  private void skipSpaces() {
    while (pos < end && line[pos] == ' ') {
      pos++;
    }
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }
}
