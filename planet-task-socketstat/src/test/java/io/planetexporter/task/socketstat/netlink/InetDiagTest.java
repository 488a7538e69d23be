package io.planetexporter.task.socketstat.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.net.IpAddress;
import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.RecentAddresses;
import io.planetexporter.task.socketstat.table.Socket;
import io.planetexporter.task.socketstat.table.SocketColumns;
import io.planetexporter.task.socketstat.table.SocketState;
import io.planetexporter.task.socketstat.table.TcpInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sock_diag encoding and decoding, on messages captured from this machine's kernel (6.18,
 * x86_64) by {@link CaptureInetDiagFixtures}: a loopback connection on which the client sent
 * 100,000 bytes and received 7,000, dumped while established and announced when it closed.
 */
class InetDiagTest {

  private static final IpAddress LOOPBACK = IpAddress.ipv4(0x7f000001);

  static ByteBuffer fixture(String name) throws IOException {
    try (InputStream in = InetDiagTest.class.getResourceAsStream("InetDiagTest/" + name)) {
      return ByteBuffer.wrap(in.readAllBytes());
    }
  }

  /** A socket's byte counters alone, as {@code TcpByteCountTest} writes them. */
  private static TcpInfo byteCounters(Socket socket) {
    TcpInfo info = socket.counters();
    return new TcpInfo(
        info.bytesAcked(),
        info.bytesReceived(),
        info.bytesSent(),
        info.bytesRetrans(),
        info.receiveQueue());
  }

  static List<Socket> decode(ByteBuffer buffer) throws NetlinkException {
    List<Socket> sockets = new ArrayList<>();
    SocketColumns columns = new SocketColumns(0);
    // A malformed message shows as null in its place among the sockets.
    Runnable malformed =
        () -> {
          sockets.addAll(columns);
          columns.clear();
          sockets.add(null);
        };
    InetDiag.decode(buffer, Protocol.TCP, new RecentAddresses(), columns, malformed);
    sockets.addAll(columns);
    return sockets;
  }

  @Nested
  class Request {

    @Test
    void asksForADumpOfEveryStateButBoundInactiveWithTcpInfo() {
      ByteBuffer request =
          InetDiag.dumpRequest(InetDiag.AF_INET6, InetDiag.IPPROTO_TCP, InetDiag.ALL_STATES, 7);

      assertThat(ByteOrder.nativeOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
      assertThat(HexFormat.of().formatHex(request.array()))
          .isEqualTo(
              "48000000" // nlmsg_len 72
                  + "1400" // SOCK_DIAG_BY_FAMILY
                  + "0103" // NLM_F_REQUEST | NLM_F_DUMP
                  + "07000000" // sequence
                  + "00000000" // port id
                  + "0a" // AF_INET6
                  + "06" // IPPROTO_TCP
                  + "02" // idiag_ext: 1 << (INET_DIAG_INFO - 1)
                  + "00"
                  + "fe1f0000" // states 1..12
                  + "00".repeat(48)); // inet_diag_sockid: no filter
    }

    @Test
    void asksForTcpOfBothFamiliesInOneOlderRequestWithTcpInfo() {
      ByteBuffer request = InetDiag.tcpDumpRequest(InetDiag.ALL_STATES, 3);

      assertThat(HexFormat.of().formatHex(request.array()))
          .isEqualTo(
              "4c000000" // nlmsg_len 76
                  + "1200" // TCPDIAG_GETSOCK
                  + "0103" // NLM_F_REQUEST | NLM_F_DUMP
                  + "03000000" // sequence
                  + "00000000" // port id
                  + "00" // idiag_family: both
                  + "0000" // idiag_src_len, idiag_dst_len
                  + "02" // idiag_ext: 1 << (INET_DIAG_INFO - 1)
                  + "00".repeat(48) // inet_diag_sockid: no filter
                  + "fe1f0000" // states 1..12
                  + "00000000"); // idiag_dbs
    }

    @Test
    void looksUpTheOneSocketWithAClosedOnesAddressesAndPorts() {
      Socket closed =
          new Socket(
              Protocol.TCP,
              IpAddress.ipv4(0xc6120001),
              40_000,
              IpAddress.ipv4(0xc6120002),
              443,
              SocketState.CLOSE,
              0);

      ByteBuffer request = InetDiag.lookupRequest(closed, 9);

      assertThat(HexFormat.of().formatHex(request.array()))
          .isEqualTo(
              "48000000" // nlmsg_len 72
                  + "1400" // SOCK_DIAG_BY_FAMILY
                  + "0100" // NLM_F_REQUEST: one socket, no dump
                  + "09000000" // sequence
                  + "00000000" // port id
                  + "02" // AF_INET: the kernel finds IPv4-mapped sockets by their IPv4 addresses
                  + "06" // IPPROTO_TCP
                  + "00" // no extension
                  + "00"
                  + "fe1f0000" // any state
                  + "9c40" // source port 40000
                  + "01bb" // destination port 443
                  + "c6120001"
                  + "00".repeat(12) // source 198.18.0.1
                  + "c6120002"
                  + "00".repeat(12) // destination 198.18.0.2
                  + "00000000" // any interface
                  + "ffffffffffffffff"); // INET_DIAG_NOCOOKIE
    }

    @Test
    void looksUpAnIpv6SocketWithItsWholeAddresses() {
      Socket closed =
          new Socket(
              Protocol.TCP,
              IpAddress.parse("fd00::1"),
              40_000,
              IpAddress.parse("fd00::2"),
              443,
              SocketState.CLOSE,
              0);

      String hex = HexFormat.of().formatHex(InetDiag.lookupRequest(closed, 1).array());

      assertThat(hex.substring(32, 34)).isEqualTo("0a"); // AF_INET6
      assertThat(hex.substring(56, 120))
          .isEqualTo("fd00" + "00".repeat(13) + "01" + "fd00" + "00".repeat(13) + "02");
    }

    @Test
    void asksUdpForNoExtension() {
      ByteBuffer request =
          InetDiag.dumpRequest(InetDiag.AF_INET, InetDiag.IPPROTO_UDP, InetDiag.ALL_STATES, 1);

      assertThat(request.get(16)).isEqualTo((byte) InetDiag.AF_INET);
      assertThat(request.get(17)).isEqualTo((byte) InetDiag.IPPROTO_UDP);
      assertThat(request.get(18)).isZero();
    }
  }

  @Nested
  class CapturedMessages {

    @ParameterizedTest(name = "{0}established-client.bin")
    @ValueSource(strings = {"", "ipv4-"})
    void decodesAnEstablishedClientWithItsCounters(String prefix) throws IOException {
      Socket socket = decode(fixture(prefix + "established-client.bin")).get(0);

      assertThat(socket.localAddress()).isEqualTo(LOOPBACK);
      assertThat(socket.remoteAddress()).isEqualTo(LOOPBACK);
      assertThat(socket.state()).isEqualTo(SocketState.ESTABLISHED);
      assertThat(socket.inode()).isPositive();
      assertThat(socket.cookie()).isPositive();
      // 100,000 bytes sent plus the SYN, 7,000 received; each sent once.
      assertThat(byteCounters(socket)).isEqualTo(new TcpInfo(100_001, 7_000, 100_000, 0, 0));
    }

    @Test
    void decodesTheAnswerToTheOlderTcpRequestAlike() throws IOException {
      ByteBuffer answer = fixture("ipv4-established-client.bin");
      // The same message as an answer to TCPDIAG_GETSOCK: only its type differs.
      answer.order(ByteOrder.nativeOrder()).putShort(4, (short) InetDiag.TCPDIAG_GETSOCK);

      assertThat(decode(answer)).isEqualTo(decode(fixture("ipv4-established-client.bin")));
    }

    @Test
    void decodesTheCapturedSocketsExactly() throws IOException {
      assertThat(decode(fixture("ipv4-established-client.bin")))
          .containsExactly(
              new Socket(
                  Protocol.TCP,
                  LOOPBACK,
                  58266,
                  LOOPBACK,
                  37431,
                  SocketState.ESTABLISHED,
                  72218,
                  61,
                  // rtt 107 µs, 6 segments out and 5 in (the README's table)
                  new TcpInfo(100_001, 7_000, 100_000, 0, 0, 0, 107, 6, 5)));
      assertThat(decode(fixture("established-client.bin")).get(0).localPort()).isEqualTo(53284);
    }

    @ParameterizedTest(name = "{0}destroyed-client.bin")
    @ValueSource(strings = {"", "ipv4-"})
    void decodesADestroyEventWithTheFinalCounters(String prefix) throws IOException {
      Socket socket = decode(fixture(prefix + "destroyed-client.bin")).get(0);
      Socket established = decode(fixture(prefix + "established-client.bin")).get(0);

      assertThat(socket.state()).isEqualTo(SocketState.CLOSE);
      assertThat(socket.inode()).isZero(); // the file is gone
      assertThat(socket.cookie()).isEqualTo(established.cookie());
      assertThat(socket.localPort()).isEqualTo(established.localPort());
      // Its FIN acked, the peer's FIN received and, orphaned, never read.
      assertThat(byteCounters(socket)).isEqualTo(new TcpInfo(100_002, 7_001, 100_000, 0, 1));
    }

    @Test
    void keepsASocketWhoseCountersDoNotFitALongWithoutThemAndCountsIt() throws IOException {
      byte[] bent =
          DestroyEventsTest.withReceivedBeyondALong(fixture("ipv4-established-client.bin").array());
      SocketColumns sockets = new SocketColumns(0);
      int[] malformed = {0};

      InetDiag.decode(
          ByteBuffer.wrap(bent),
          Protocol.TCP,
          new RecentAddresses(),
          sockets,
          () -> malformed[0]++);

      assertThat(sockets).singleElement().satisfies(s -> assertThat(s.counters()).isNull());
      assertThat(sockets.get(0).state()).isEqualTo(SocketState.ESTABLISHED);
      assertThat(malformed[0]).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}tcp-info-cut-to-168.bin")
    @ValueSource(strings = {"", "ipv4-"})
    void takesTheCountersOfAnOlderKernelsTcpInfoWithoutBytesSent(String prefix) throws IOException {
      assertThat(byteCounters(decode(fixture(prefix + "tcp-info-cut-to-168.bin")).get(0)))
          .isEqualTo(new TcpInfo(100_001, 7_000, -1, -1, 0));
    }

    @ParameterizedTest(name = "{0}tcp-info-cut-to-124.bin")
    @ValueSource(strings = {"", "ipv4-"})
    void givesNoCountersForATcpInfoThatEndsBeforeThem(String prefix) throws IOException {
      Socket socket = decode(fixture(prefix + "tcp-info-cut-to-124.bin")).get(0);

      assertThat(socket.counters()).isNull();
      assertThat(socket.state()).isEqualTo(SocketState.ESTABLISHED);
    }
  }

  @Nested
  class Framing {

    @Test
    void decodesEveryMessageOfADatagramUpToDone() throws IOException {
      ByteBuffer one = fixture("established-client.bin");
      ByteBuffer two = fixture("ipv4-established-client.bin");
      ByteBuffer datagram =
          ByteBuffer.allocate(one.capacity() + two.capacity() + 20).order(ByteOrder.nativeOrder());
      datagram.put(one).put(two).putInt(20).putShort((short) InetDiag.NLMSG_DONE);
      datagram.position(0);
      SocketColumns sockets = new SocketColumns(0);
      int[] malformed = {0};

      InetDiag.Outcome outcome =
          InetDiag.decode(
              datagram, Protocol.TCP, new RecentAddresses(), sockets, () -> malformed[0]++);

      assertThat(outcome).isEqualTo(InetDiag.Outcome.DONE);
      assertThat(sockets).extracting(Socket::localPort).containsExactly(53284, 58266);
      assertThat(malformed[0]).isZero();
    }

    @Test
    void countsAMessageTooShortForASocket() throws IOException {
      ByteBuffer message = ByteBuffer.allocate(16 + 40).order(ByteOrder.nativeOrder());
      message.putInt(56).putShort((short) InetDiag.SOCK_DIAG_BY_FAMILY).position(0);

      assertThat(decode(message)).containsExactly((Socket) null);
    }

    @Test
    void reportsTheKernelsErrno() {
      ByteBuffer error = ByteBuffer.allocate(36).order(ByteOrder.nativeOrder());
      error.putInt(36).putShort((short) InetDiag.NLMSG_ERROR).putShort((short) 0);
      error.putInt(0).putInt(0).putInt(-97); // EAFNOSUPPORT
      error.position(0);

      assertThatThrownBy(() -> decode(error))
          .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(97));
    }
  }
}
