package io.planetexporter.task.socketstat.namespace;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.planetexporter.task.socketstat.netlink.NetlinkSocket;
import io.planetexporter.task.socketstat.netlink.NetlinkSocketSource;
import io.planetexporter.task.socketstat.owner.ProcFsProcessSource;
import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.Socket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Netlink read from a thread that entered another namespace gives that namespace's table, the same
 * as its {@code /proc/<pid>/net} text, and leaves the exporter's own reads in its own namespace.
 * The namespace holds one connected UDP socket (bash's {@code /dev/udp}); a refused TCP connection
 * in it is heard as a destroy event. It is removed afterwards.
 */
class EnteredNamespaceSourceIT {

  private static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  @Test
  void readsTheEnteredNamespacesSocketsAsItsProcNetShowsThem() throws Exception {
    assumeTrue(isRoot(), "needs root to make a network namespace and enter it");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")), "needs iproute2's ip");
    assumeTrue(NetlinkSocket.unavailable() == null, "needs netlink through JNA");
    String ns = "pe-ens-" + String.format("%06x", new Random().nextInt(1 << 24));
    run("ip", "netns", "add", ns);
    Process holder = null;
    try {
      run("ip", "-n", ns, "link", "set", "lo", "up");
      holder =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  ns,
                  "bash",
                  "-c",
                  "exec 3<>/dev/udp/127.0.0.1/9; exec sleep 60")
              .redirectErrorStream(true)
              .start();
      int pid = (int) holder.pid(); // ip netns exec execs bash, which execs sleep: one pid
      Path procRoot = Path.of("/proc");
      NetlinkSocketSource netlink = new NetlinkSocketSource();
      long inode = new ProcFsProcessSource(procRoot).netNamespace(pid);
      List<Socket> viaProc = awaitOneSocket(NamespaceSource.procNet(procRoot), inode, pid);

      try (EnteredNamespaceSource entered =
          new EnteredNamespaceSource(
              procRoot,
              NetlinkSocketSource::new,
              (n, p) -> {
                throw new AssertionError("fell back to /proc/" + p + "/net");
              },
              true)) {
        List<Socket> viaNetlink = entered.read(inode, pid).sockets();

        assertThat(viaNetlink)
            .singleElement()
            .satisfies(
                s -> {
                  assertThat(s.protocol()).isEqualTo(Protocol.UDP);
                  assertThat(s.remotePort()).isEqualTo(9);
                  assertThat(s.inode()).isEqualTo(viaProc.get(0).inode());
                  assertThat(s.localPort()).isEqualTo(viaProc.get(0).localPort());
                });
        long socket = viaProc.get(0).inode();
        assertThat(netlink.read().sockets()).noneMatch(s -> s.inode() == socket);
        assertThat(entered.read(inode, pid).sockets())
            .extracting(Socket::inode)
            .containsExactly(socket);

        // A connection refused in the namespace: its socket's end is a destroy event there.
        runQuietly("ip", "netns", "exec", ns, "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/1");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (entered.destroyEvents() == 0 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        List<Socket> closed = entered.closedSinceLast(inode);
        assertThat(entered.destroyEvents()).isPositive();
        assertThat(closed).allMatch(s -> s.remotePort() == 1);
        assertThat(entered.closedSinceLast(inode)).isEmpty();

        entered.retain(Set.of());
        assertThat(entered.destroyEvents()).as("kept after the namespace is gone").isPositive();
      }
    } finally {
      if (holder != null) {
        holder.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      run("ip", "netns", "del", ns);
    }
  }

  /** The namespace's table once bash has opened its socket. */
  private static List<Socket> awaitOneSocket(NamespaceSource source, long inode, int pid)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<Socket> sockets = List.of();
    while (System.nanoTime() < deadline) {
      try {
        sockets = source.read(inode, pid).sockets();
      } catch (IOException ignored) {
        // not yet in its namespace
      }
      if (sockets.size() == 1) {
        return sockets;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no single socket in the namespace: " + sockets);
  }

  private static void runQuietly(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    process.waitFor();
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + ": " + output);
    }
  }
}
