package io.planetexporter.task.socketstat.proc;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.net.IpAddress;
import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.Socket;
import io.planetexporter.task.socketstat.table.SocketState;
import io.planetexporter.task.socketstat.table.SocketTable;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ProcNetParserTest {

  static SocketTable parse(String fixture, Protocol protocol) throws IOException {
    try (InputStream in = fixture(fixture)) {
      return ProcNetParser.parse(in, protocol, ByteOrder.LITTLE_ENDIAN);
    }
  }

  private static InputStream fixture(String name) {
    InputStream in = ProcNetParserTest.class.getResourceAsStream("ProcNetParserTest/" + name);
    assertThat(in).as(name).isNotNull();
    return in;
  }

  static String render(SocketTable table) {
    return table.sockets().stream()
            .map(
                s ->
                    s.protocol().label()
                        + " "
                        + s.localAddress().withPort(s.localPort())
                        + " "
                        + s.remoteAddress().withPort(s.remotePort())
                        + " "
                        + s.state().label()
                        + " "
                        + s.inode())
            .collect(Collectors.joining("\n"))
        + "\n";
  }

  @Nested
  class CapturedOnThisMachine {

    @Test
    void decodesLittleEndianIpv4Words() throws IOException {
      assertThat(render(parse("captured/tcp", Protocol.TCP)))
          .isEqualTo(
              """
              tcp 0.0.0.0:2024 0.0.0.0:0 listen 1154
              tcp 127.0.0.1:45001 0.0.0.0:0 listen 49027
              tcp 127.0.0.1:50266 127.0.0.1:45002 established 49035
              tcp 127.0.0.1:53898 127.0.0.1:34403 time_wait 0
              tcp 127.0.0.1:42451 127.0.0.1:57376 time_wait 0
              tcp 127.0.0.1:53836 127.0.0.1:45001 established 49028
              tcp 127.0.0.1:53848 127.0.0.1:45001 time_wait 0
              tcp 127.0.0.1:45001 127.0.0.1:53836 established 49029
              tcp 127.0.0.1:46276 127.0.0.1:36703 time_wait 0
              tcp 127.0.0.1:33679 127.0.0.1:42708 time_wait 0
              """);
    }

    @Test
    void sharesOneObjectPerAddressBetweenSockets() throws IOException {
      SocketTable table = parse("captured/tcp", Protocol.TCP);

      assertThat(table.sockets().get(5).localAddress())
          .isSameAs(table.sockets().get(2).localAddress())
          .isSameAs(table.sockets().get(2).remoteAddress());
    }

    @Test
    void reportsMappedAddressesAsIpv4AndLoopbackAsDoubleColonOne() throws IOException {
      SocketTable table = parse("captured/tcp6", Protocol.TCP);

      assertThat(render(table))
          .startsWith(
              """
              tcp [::]:45002 [::]:0 listen 49032
              tcp 127.0.0.1:43109 127.0.0.1:55956 time_wait 0
              """)
          .contains(
              """
              tcp [::1]:45002 [::1]:53962 established 49034
              """)
          .contains(
              """
              tcp 127.0.0.1:45002 127.0.0.1:50266 established 49036
              """);
      assertThat(table.sockets()).hasSize(15);
      assertThat(table.unparsableLines()).isZero();
    }

    @Test
    void readsUdpConnectedAndUnconnected() throws IOException {
      assertThat(
              render(parse("captured/udp", Protocol.UDP))
                  + render(parse("captured/udp6", Protocol.UDP)))
          .isEqualTo(
              """
              udp 127.0.0.1:51259 127.0.0.1:45003 established 49038
              udp 0.0.0.0:45003 0.0.0.0:0 close 49037
              udp [::1]:45004 [::]:0 close 49039
              """);
    }
  }

  @Nested
  class HandMade {

    @Test
    void knowsEveryTcpStateAndKeepsUnknownOnes() throws IOException {
      assertThat(render(parse("every-state-tcp", Protocol.TCP)))
          .isEqualTo(
              """
              tcp 10.0.0.1:20001 192.168.1.2:443 established 1001
              tcp 10.0.0.1:20002 192.168.1.2:443 syn_sent 1002
              tcp 10.0.0.1:20003 192.168.1.2:443 syn_recv 1003
              tcp 10.0.0.1:20004 192.168.1.2:443 fin_wait1 1004
              tcp 10.0.0.1:20005 192.168.1.2:443 fin_wait2 1005
              tcp 10.0.0.1:20006 192.168.1.2:443 time_wait 0
              tcp 10.0.0.1:20007 192.168.1.2:443 close 1007
              tcp 10.0.0.1:20008 192.168.1.2:443 close_wait 1008
              tcp 10.0.0.1:20009 192.168.1.2:443 last_ack 1009
              tcp 10.0.0.1:20010 192.168.1.2:0 listen 1010
              tcp 10.0.0.1:20011 192.168.1.2:443 closing 1011
              tcp 10.0.0.1:20012 192.168.1.2:443 new_syn_recv 0
              tcp 10.0.0.1:20013 192.168.1.2:443 bound_inactive 1013
              tcp 10.0.0.1:20014 192.168.1.2:443 unknown 1014
              tcp 10.0.0.1:20015 192.168.1.2:443 unknown 1015
              """);
    }

    @Test
    void printsIpv6InRfc5952FormAndOnlyMappedAddressesAsIpv4() throws IOException {
      assertThat(render(parse("ipv6-tcp6", Protocol.TCP)))
          .isEqualTo(
              """
              tcp [2001:db8::1]:8080 [2001:db8::1:0:0:2]:50000 established 2001
              tcp [fe80::1:2]:22 [::]:0 listen 2002
              tcp 10.0.0.1:80 192.168.1.2:40000 established 2003
              tcp [::a00:1]:80 [::]:0 listen 2004
              """);
    }

    @Test
    void readsWordsInBigEndianWhenTheKernelWroteThem() throws IOException {
      String line =
          "  0: 0A000001:0050 C0A80102:9C40 01 00000000:00000000 00:00000000 00000000 0 0 7 1\n";
      SocketTable table =
          ProcNetParser.parse(
              new ByteArrayInputStream(line.getBytes(StandardCharsets.US_ASCII)),
              Protocol.TCP,
              ByteOrder.BIG_ENDIAN);

      assertThat(render(table)).isEqualTo("tcp 10.0.0.1:80 192.168.1.2:40000 established 7\n");
    }

    @Test
    void countsAnInodeBeyond32BitsUnparsable() throws IOException {
      String lines =
          "  0: 0A000001:0050 C0A80102:9C40 01 00000000:00000000 00:00000000 00000000 0 0"
              + " 4294967295 1\n"
              + "  1: 0A000001:0051 C0A80102:9C40 01 00000000:00000000 00:00000000 00000000 0 0"
              + " 4294967296 1\n";
      SocketTable table =
          ProcNetParser.parse(
              new ByteArrayInputStream(lines.getBytes(StandardCharsets.US_ASCII)),
              Protocol.TCP,
              ByteOrder.BIG_ENDIAN);

      assertThat(render(table))
          .isEqualTo("tcp 10.0.0.1:80 192.168.1.2:40000 established 4294967295\n");
      assertThat(table.unparsableLines()).isEqualTo(1);
    }

    @Test
    void ignoresATruncatedLastLine() throws IOException {
      SocketTable table = parse("truncated-tcp", Protocol.TCP);

      assertThat(render(table))
          .isEqualTo(
              """
              tcp 0.0.0.0:2024 0.0.0.0:0 listen 1154
              tcp 127.0.0.1:45001 0.0.0.0:0 listen 49027
              tcp 127.0.0.1:50266 127.0.0.1:45002 established 49035
              """);
      assertThat(table.unparsableLines()).isEqualTo(1);
    }

    @Test
    void skipsAndCountsAMalformedLine() throws IOException {
      SocketTable table = parse("malformed-tcp", Protocol.TCP);

      assertThat(table.sockets())
          .extracting(Socket::inode)
          .containsExactly(1154L, 49027L, 49035L, 0L);
      assertThat(table.unparsableLines()).isEqualTo(1);
    }

    @Test
    void readsAnEmptyTable() throws IOException {
      SocketTable table =
          ProcNetParser.parse(
              new ByteArrayInputStream(
                  "  sl  local_address rem_address   st\n".getBytes(StandardCharsets.US_ASCII)),
              Protocol.UDP);

      assertThat(table.sockets()).isEmpty();
      assertThat(table.unparsableLines()).isZero();
    }
  }

  @Nested
  class Streaming {

    @Test
    void givesTheSameSocketsWhateverTheReadSizes() throws IOException {
      byte[] file;
      try (InputStream in = fixture("captured/tcp6")) {
        file = in.readAllBytes();
      }
      StringBuilder big = new StringBuilder();
      for (int i = 0; i < 2000; i++) {
        big.append(new String(file, StandardCharsets.US_ASCII));
      }
      byte[] bytes = big.toString().getBytes(StandardCharsets.US_ASCII);

      SocketTable whole =
          ProcNetParser.parse(
              new ByteArrayInputStream(bytes), Protocol.TCP, ByteOrder.LITTLE_ENDIAN);
      SocketTable trickled =
          ProcNetParser.parse(
              new TricklingInputStream(new ByteArrayInputStream(bytes)),
              Protocol.TCP,
              ByteOrder.LITTLE_ENDIAN);

      assertThat(whole.sockets()).hasSize(15 * 2000);
      assertThat(trickled).isEqualTo(whole);
    }
  }

  @Nested
  class RoundTrip {

    @Test
    void readsBackRandomSocketsWrittenAsTheKernelWritesThem() throws IOException {
      Random random = new Random(2024);
      List<Socket> written = new ArrayList<>();
      StringBuilder v4 = new StringBuilder("  sl  local_address rem_address   st\n");
      StringBuilder v6 = new StringBuilder("  sl  local_address remote_address st\n");
      for (int i = 0; i < 5_000; i++) {
        boolean ipv6 = random.nextBoolean();
        IpAddress local = ipv6 ? randomIpv6(random) : IpAddress.ipv4(random.nextInt());
        IpAddress remote = ipv6 ? randomIpv6(random) : IpAddress.ipv4(random.nextInt());
        int localPort = random.nextInt(65536);
        int remotePort = random.nextInt(65536);
        int state = 1 + random.nextInt(12);
        long inode = random.nextInt(3) == 0 ? 0 : random.nextInt() & 0xffffffffL; // any u32
        int uid = random.nextInt(70000);
        written.add(
            new Socket(
                Protocol.TCP,
                local,
                localPort,
                remote,
                remotePort,
                SocketState.ofCode(state),
                inode,
                0,
                null));
        (ipv6 ? v6 : v4)
            .append(
                String.format(
                    "%4d: %s:%04X %s:%04X %02X 00000000:00000000 00:00000000 00000000 %5d %8d %d"
                        + " 1 0000000000000000 100 0 0 10 0\n",
                    i,
                    kernelHex(local, ipv6),
                    localPort,
                    kernelHex(remote, ipv6),
                    remotePort,
                    state,
                    uid,
                    random.nextInt(1000),
                    inode));
      }
      List<Socket> read = new ArrayList<>();
      for (StringBuilder file : List.of(v4, v6)) {
        read.addAll(
            ProcNetParser.parse(
                    new ByteArrayInputStream(file.toString().getBytes(StandardCharsets.US_ASCII)),
                    Protocol.TCP,
                    ByteOrder.LITTLE_ENDIAN)
                .sockets());
      }

      assertThat(read).containsExactlyInAnyOrderElementsOf(written);
    }

    private IpAddress randomIpv6(Random random) {
      return random.nextInt(4) == 0
          ? IpAddress.ipv4(random.nextInt()) // mapped, written in tcp6
          : new IpAddress(random.nextLong(), random.nextLong());
    }

    /** Each 32-bit word's bytes in memory order, printed as a little-endian host's %08X does. */
    private String kernelHex(IpAddress address, boolean ipv6) {
      int[] words = {
        (int) (address.high() >>> 32),
        (int) address.high(),
        (int) (address.low() >>> 32),
        (int) address.low()
      };
      StringBuilder hex = new StringBuilder();
      for (int w = ipv6 ? 0 : 3; w < 4; w++) {
        hex.append(String.format("%08X", Integer.reverseBytes(words[w])));
      }
      return hex.toString();
    }
  }

  /** Returns at most 1 to 97 bytes per read, so lines straddle every buffer boundary. */
  private static final class TricklingInputStream extends FilterInputStream {
    private int next = 1;

    TricklingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      next = next % 97 + 1;
      return super.read(b, off, Math.min(len, next));
    }
  }
}
