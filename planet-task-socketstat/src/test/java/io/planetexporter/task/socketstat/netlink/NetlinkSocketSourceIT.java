package io.planetexporter.task.socketstat.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.SocketColumns;
import io.planetexporter.task.socketstat.table.SocketSource;
import io.planetexporter.task.socketstat.table.SocketState;
import io.planetexporter.task.socketstat.table.SocketTable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The netlink source's table in parts, on this machine's kernel, with loopback sockets of its own.
 */
class NetlinkSocketSourceIT {

  private static final int CONNECTIONS = 600; // more than one datagram of a dump holds

  @Test
  void givesEveryListenerFirstThenTheOtherSocketsInPartsAsTheWholeTableHasThem() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket listener = new ServerSocket()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), CONNECTIONS);
      int port = listener.getLocalPort();
      for (int i = 0; i < CONNECTIONS; i++) {
        held.add(new Socket(InetAddress.getLoopbackAddress(), port));
        held.add(listener.accept());
      }
      NetlinkSocketSource source = new NetlinkSocketSource();
      Set<String> first = new TreeSet<>();
      Set<String> rest = new TreeSet<>();
      int[] parts = {0};
      SocketTable table =
          source.read(
              new SocketSource.TableParts() {
                @Override
                public void listeners(SocketColumns sockets) {
                  first.addAll(rowsOf(sockets, port));
                }

                @Override
                public void more(SocketColumns sockets) {
                  parts[0]++;
                  rest.addAll(rowsOf(sockets, port));
                }
              });
      Set<String> whole = new TreeSet<>(rowsOf(source.read().sockets(), port));

      assertThat(first).containsExactly("TCP LISTEN " + port + "-0");
      assertThat(rest).hasSize(2 * CONNECTIONS).noneMatch(row -> row.contains("LISTEN"));
      assertThat(parts[0]).as("parts, one per datagram").isGreaterThan(1);
      Set<String> both = new TreeSet<>(first);
      both.addAll(rest);
      assertThat(both).isEqualTo(whole);
      assertThat(table.sockets().size()).as("the first part is the table returned").isPositive();
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  /** The rows of {@code sockets} with {@code port} at either end, as protocol, state and ports. */
  private static List<String> rowsOf(SocketColumns sockets, int port) {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < sockets.size(); i++) {
      if (sockets.protocol(i) == Protocol.TCP
          && (sockets.localPort(i) == port || sockets.remotePort(i) == port)
          && sockets.state(i) != SocketState.TIME_WAIT) {
        rows.add(
            sockets.protocol(i)
                + " "
                + sockets.state(i)
                + " "
                + sockets.localPort(i)
                + "-"
                + sockets.remotePort(i));
      }
    }
    return rows;
  }
}
