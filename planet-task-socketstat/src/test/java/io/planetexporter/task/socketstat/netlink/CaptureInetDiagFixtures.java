package io.planetexporter.task.socketstat.netlink;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Captures the binary fixtures of {@code InetDiagTest} from this machine's kernel (run as root):
 * one loopback connection on which the client sends 100,000 bytes and the server answers 7,000,
 * dumped while established, then announced on the destroy groups when the client closes. Each file
 * is one netlink message exactly as received. The short {@code tcp_info} variants are the
 * established client's message with its {@code INET_DIAG_INFO} attribute cut to an older kernel's
 * length. Java opens IPv6 sockets (IPv4-mapped addresses) unless told to prefer IPv4, so it is run
 * twice, the second time naming its files {@code ipv4-*}:
 *
 * <pre>
 * CP=target/classes:target/test-classes:jna-5.17.0.jar
 * DIR=src/test/resources/io/planetexporter/task/socketstat/netlink/InetDiagTest
 * java -cp $CP io.planetexporter.task.socketstat.netlink.CaptureInetDiagFixtures $DIR ""
 * java -Djava.net.preferIPv4Stack=true -cp $CP \
 *     io.planetexporter.task.socketstat.netlink.CaptureInetDiagFixtures $DIR ipv4-
 * </pre>
 */
final class CaptureInetDiagFixtures {

  private CaptureInetDiagFixtures() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String prefix = args[1];
    int family =
        Boolean.getBoolean("java.net.preferIPv4Stack") ? InetDiag.AF_INET : InetDiag.AF_INET6;
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (NetlinkSocket events = NetlinkSocket.open(DestroyEvents.TCP_DESTROY_GROUPS);
        ServerSocket listener = new ServerSocket(0, 1, loopback)) {
      // Closed by hand below: the order of the closes is the point.
      java.net.Socket client = new java.net.Socket(loopback, listener.getLocalPort());
      java.net.Socket server = listener.accept();
      events.receiveTimeout(2000);
      client.getOutputStream().write(new byte[100_000]);
      server.getInputStream().readNBytes(100_000);
      server.getOutputStream().write(new byte[7_000]);
      client.getInputStream().readNBytes(7_000);
      Thread.sleep(200);
      byte[] established = dumped(family, client.getLocalPort());
      Files.write(dir.resolve(prefix + "established-client.bin"), established);
      Files.write(dir.resolve(prefix + "tcp-info-cut-to-168.bin"), cutTcpInfo(established, 168));
      Files.write(dir.resolve(prefix + "tcp-info-cut-to-124.bin"), cutTcpInfo(established, 124));
      client.close();
      InputStream in = server.getInputStream();
      if (in.read() != -1) {
        throw new IOException("expected the client's FIN");
      }
      server.close();
      ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
      for (int i = 0; i < 10 && events.receive(buffer) > 0; i++) {
        byte[] message = message(buffer, client.getLocalPort());
        if (message != null) {
          Files.write(dir.resolve(prefix + "destroyed-client.bin"), message);
          return;
        }
      }
      throw new IOException("no destroy event for the client");
    }
  }

  /** The dump's message for the socket with local port {@code port}. */
  private static byte[] dumped(int family, int port) throws IOException {
    try (NetlinkSocket netlink = NetlinkSocket.open(0)) {
      netlink.send(InetDiag.dumpRequest(family, InetDiag.IPPROTO_TCP, InetDiag.ALL_STATES, 1));
      ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
      byte[] found = null;
      while (true) {
        netlink.receive(buffer);
        ByteBuffer in = buffer.duplicate().order(ByteOrder.nativeOrder());
        if (in.getShort(4) == InetDiag.NLMSG_DONE) {
          return found;
        }
        byte[] message = message(buffer, port);
        found = message == null ? found : message;
      }
    }
  }

  /** The message of the datagram in {@code buffer} whose socket has local port {@code port}. */
  private static byte[] message(ByteBuffer buffer, int port) {
    ByteBuffer in = buffer.duplicate().order(ByteOrder.nativeOrder());
    for (int at = 0; at + InetDiag.NLMSG_HEADER <= in.limit(); ) {
      int length = in.getInt(at);
      int sport = Short.toUnsignedInt(in.order(ByteOrder.BIG_ENDIAN).getShort(at + 20));
      in.order(ByteOrder.nativeOrder());
      if (in.getShort(at + 4) == InetDiag.SOCK_DIAG_BY_FAMILY && sport == port) {
        byte[] message = new byte[length];
        in.get(at, message);
        return message;
      }
      at += (length + 3) & ~3;
    }
    return null;
  }

  /** The message with its {@code INET_DIAG_INFO} cut to {@code length} bytes of tcp_info. */
  private static byte[] cutTcpInfo(byte[] message, int length) {
    ByteBuffer in = ByteBuffer.wrap(message).order(ByteOrder.nativeOrder());
    int at = InetDiag.NLMSG_HEADER + InetDiag.MESSAGE_LENGTH;
    while (in.getShort(at + 2) != 2) {
      at += (in.getShort(at) + 3) & ~3;
    }
    int oldLength = in.getShort(at);
    int newLength = 4 + length;
    ByteBuffer out = ByteBuffer.allocate(message.length - oldLength + newLength);
    out.order(ByteOrder.nativeOrder());
    out.put(message, 0, at + newLength);
    out.put(message, at + ((oldLength + 3) & ~3), message.length - at - ((oldLength + 3) & ~3));
    out.putInt(0, out.capacity());
    out.putShort(at, (short) newLength);
    return out.array();
  }
}
