package io.planetexporter.task.socketstat.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.net.IpAddress;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The columns give back every socket as it was added, the kernel's u32 fields (held in int columns)
 * over their whole range, and so do columns cleared and filled again.
 */
class SocketColumnsTest {

  private static final long U32_MAX = 0xffffffffL;

  @Property(tries = 200)
  void givesBackEverySocketAsAdded(@ForAll("sockets") @Size(max = 300) List<Socket> sockets) {
    SocketColumns columns = SocketColumns.of(sockets);

    assertThat(columns).containsExactlyElementsOf(sockets);
    for (int i = 0; i < sockets.size(); i++) {
      Socket socket = sockets.get(i);
      assertThat(columns.inode(i)).isEqualTo(socket.inode());
      TcpInfo counters = socket.counters();
      assertThat(columns.hasCounters(i)).isEqualTo(counters != null);
      if (counters != null) {
        assertThat(columns.receiveQueue(i)).isEqualTo(counters.receiveQueue());
        assertThat(columns.sendQueue(i)).isEqualTo(counters.sendQueue());
      }
    }
  }

  @Property(tries = 100)
  void columnsClearedAndFilledAgainGiveTheNewTable(
      @ForAll("sockets") @Size(max = 200) List<Socket> first,
      @ForAll("sockets") @Size(max = 200) List<Socket> second) {
    SocketColumns columns = SocketColumns.of(first);
    columns.clear();
    second.forEach(columns::append);

    assertThat(columns).containsExactlyElementsOf(second);
  }

  @Test
  void keepsTheLargestU32Values() {
    Socket socket =
        socket(U32_MAX, new TcpInfo(1L << 62, 7, 8, 9, U32_MAX, U32_MAX, 100, U32_MAX - 1, 0));

    assertThat(SocketColumns.of(List.of(socket)).get(0)).isEqualTo(socket);
  }

  @Test
  void refusesAnInodeBeyond32Bits() {
    SocketColumns columns = new SocketColumns(1);

    assertThatThrownBy(() -> columns.append(socket(U32_MAX + 1, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inode 4294967296");
    assertThat(columns).isEmpty();
  }

  @Provide
  Arbitrary<List<Socket>> sockets() {
    Arbitrary<Long> u32 = Arbitraries.longs().between(0, U32_MAX);
    Arbitrary<Long> u63 = Arbitraries.longs().between(0, Long.MAX_VALUE);
    Arbitrary<Long> counterOrNone = Arbitraries.oneOf(u63, Arbitraries.just(-1L));
    Arbitrary<Long> segmentsOrNone =
        Arbitraries.oneOf(Arbitraries.longs().between(0, U32_MAX - 1), Arbitraries.just(-1L));
    Arbitrary<TcpInfo> counters =
        Combinators.combine(
                List.of(
                    u63,
                    u63,
                    counterOrNone,
                    counterOrNone,
                    u32,
                    u32,
                    Arbitraries.longs().between(0, Integer.MAX_VALUE),
                    segmentsOrNone,
                    segmentsOrNone))
            .as(
                f ->
                    new TcpInfo(
                        f.get(0), f.get(1), f.get(2), f.get(3), f.get(4), f.get(5), f.get(6),
                        f.get(7), f.get(8)));
    return Combinators.combine(u32, counters.injectNull(0.3)).as(SocketColumnsTest::socket).list();
  }

  private static Socket socket(long inode, TcpInfo counters) {
    return new Socket(
        Protocol.TCP,
        IpAddress.ipv4(0x0a000001),
        8080,
        IpAddress.ipv4(0x0a000002),
        40000,
        SocketState.ESTABLISHED,
        inode,
        inode * 31 + 7,
        counters);
  }
}
