package io.planetexporter.task.socketstat;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.task.socketstat.runtime.RuntimeRoots;
import io.planetexporter.task.socketstat.runtime.RuntimeStateTree;
import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library's values carry the workload of a container, named from its runtime's state. */
class SocketstatTest {

  private static final String CONTAINER =
      "3f4e8a9b2c1d0e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f";

  @TempDir Path proc;
  @TempDir Path state;

  @Test
  void listenersAndDependenciesCarryTheWorkloadOfTheirContainer() throws Exception {
    String header =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout"
            + " inode\n";
    String line =
        "   0: %s %s %s 00000000:00000000 00:00000000 00000000     0        0 %d 1"
            + " 0000000000000000 100 0 0 10 0\n";
    new FakeProcTree(proc)
        .file("sys/net/ipv4/ip_local_port_range", "32768\t60999\n")
        .netNamespace(0, 111)
        .file(
            "net/tcp",
            header
                + line.formatted("00000000:1538", "00000000:0000", "0A", 801)
                + line.formatted("0100000A:1538", "0900000A:9C40", "01", 802))
        .process(200, "postgres", 200, 801, 802)
        .netNamespace(200, 111)
        .cgroup(200, "0::/system.slice/docker-" + CONTAINER + ".scope\n");
    RuntimeStateTree runtimes = new RuntimeStateTree(state);
    runtimes.dockerCompose(CONTAINER, "shop", "db");
    RuntimeRoots roots = runtimes.roots();

    try (Socketstat socketstat =
        Socketstat.builder()
            .procRoot(proc)
            .source(Socketstat.Source.PROC)
            .byteCounts(false)
            .primaryIp(InetAddress.getByName("10.0.0.1"))
            .runtimeState(roots.docker(), roots.containerdState(), roots.crio())
            .build()) {
      HostDependencies found = socketstat.read();

      assertThat(found.listeners())
          .singleElement()
          .satisfies(
              listener -> {
                assertThat(listener.container()).isEqualTo("3f4e8a9b2c1d");
                assertThat(listener.workload()).isEqualTo("shop/db");
              });
      assertThat(found.downstreams())
          .singleElement()
          .satisfies(
              downstream -> {
                assertThat(downstream.remoteAddress()).isEqualTo("10.0.0.9");
                assertThat(downstream.workload()).isEqualTo("shop/db");
              });
    }
  }
}
