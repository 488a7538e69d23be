package io.planetexporter.task.socketstat.netlink;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Captures the binary fixtures of {@code InetDiagHealthTest} from this machine's kernel, run as
 * root inside a network namespace of its own whose {@code iptables} drops TCP to port 9 (what the
 * README's commands set up): curl's connect refused (nothing listens on port 1), its connect to
 * port 9 given up by curl after 300 ms (before the first SYN retransmission) and one after 2.5 s
 * (after two), each as announced on the destroy groups; and a listener with a backlog of 2 and 3
 * connections it has not accepted, as dumped. Each file is one netlink message exactly as received.
 *
 * <p>curl connects, not Java: the JDK ends a connect that failed or timed out with {@code
 * shutdown}, which makes the kernel disconnect the socket (its remote port and counters zeroed)
 * before it closes.
 */
final class CaptureHealthFixtures {

  private CaptureHealthFixtures() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (NetlinkSocket events = NetlinkSocket.open(DestroyEvents.TCP_DESTROY_GROUPS)) {
      events.receiveTimeout(2000);
      curl(1, "2");
      Files.write(dir.resolve("refused-client.bin"), destroyed(events, 1));
      curl(9, "0.3");
      Files.write(dir.resolve("timeout-client.bin"), destroyed(events, 9));
      curl(9, "2.5");
      Files.write(dir.resolve("timeout-retransmitted-client.bin"), destroyed(events, 9));
    }
    try (ServerSocket listener = new ServerSocket(0, 2, loopback)) {
      List<java.net.Socket> waiting = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        waiting.add(new java.net.Socket(loopback, listener.getLocalPort()));
      }
      Thread.sleep(200);
      Files.write(dir.resolve("full-listener.bin"), dumped(listener.getLocalPort()));
      for (java.net.Socket socket : waiting) {
        socket.close();
      }
    }
  }

  /** curl's connect to {@code port}, given up after {@code seconds}. */
  private static void curl(int port, String seconds) throws IOException, InterruptedException {
    new ProcessBuilder("curl", "-s", "--connect-timeout", seconds, "http://127.0.0.1:" + port + "/")
        .redirectErrorStream(true)
        .start()
        .waitFor();
  }

  /** The next destroy event of a socket whose remote port is {@code port}. */
  private static byte[] destroyed(NetlinkSocket events, int port) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
    for (int i = 0; i < 10 && events.receive(buffer) > 0; i++) {
      byte[] message = message(buffer, 22, port);
      if (message != null) {
        return message;
      }
    }
    throw new IOException("no destroy event for the connect to port " + port);
  }

  /** The dump's message for the listener on {@code port}: the first with that local port. */
  private static byte[] dumped(int port) throws IOException {
    try (NetlinkSocket netlink = NetlinkSocket.open(0)) {
      netlink.send(
          InetDiag.dumpRequest(InetDiag.AF_INET, InetDiag.IPPROTO_TCP, InetDiag.ALL_STATES, 1));
      ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
      byte[] found = null;
      while (true) {
        netlink.receive(buffer);
        ByteBuffer in = buffer.duplicate().order(ByteOrder.nativeOrder());
        if (in.getShort(4) == InetDiag.NLMSG_DONE) {
          return found;
        }
        byte[] message = message(buffer, 20, port);
        found = found == null ? message : found;
      }
    }
  }

  /**
   * The first message of the datagram whose socket has {@code port} at {@code offset} (20: local,
   * 22: remote).
   */
  private static byte[] message(ByteBuffer buffer, int offset, int port) {
    ByteBuffer in = buffer.duplicate().order(ByteOrder.nativeOrder());
    for (int at = 0; at + InetDiag.NLMSG_HEADER <= in.limit(); ) {
      int length = in.getInt(at);
      int found = Short.toUnsignedInt(in.order(ByteOrder.BIG_ENDIAN).getShort(at + offset));
      in.order(ByteOrder.nativeOrder());
      if (in.getShort(at + 4) == InetDiag.SOCK_DIAG_BY_FAMILY && found == port) {
        byte[] message = new byte[length];
        in.get(at, message);
        return message;
      }
      at += (length + 3) & ~3;
    }
    return null;
  }
}
