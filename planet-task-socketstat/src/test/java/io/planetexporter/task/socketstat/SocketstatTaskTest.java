package io.planetexporter.task.socketstat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.Inventory;
import io.planetexporter.api.OptionType;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import io.planetexporter.api.testing.TaskRun;
import io.planetexporter.api.testing.TestTaskContext;
import io.planetexporter.task.socketstat.runtime.RuntimeStateTree;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task as the exporter runs it, on a fake proc tree. (Longer than most tests: the provider,
 * collection, namespace, failure and metric-name cases share one fixture tree and its helpers.)
 */
class SocketstatTaskTest {

  static final String TCP_HEADER =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout"
          + " inode\n";

  @TempDir Path root;
  private FakeProcTree proc;

  @BeforeEach
  void createTree() {
    proc = new FakeProcTree(root).file("sys/net/ipv4/ip_local_port_range", "32768\t60999\n");
  }

  /** A /proc/net/tcp line; addresses as the kernel of a little-endian host writes them. */
  static String tcpLine(String local, String remote, int state, long inode) {
    return String.format(
        "   0: %s %s %02X 00000000:00000000 00:00000000 00000000     0        0 %d 1"
            + " 0000000000000000 100 0 0 10 0\n",
        local, remote, state, inode);
  }

  /**
   * Adds what the fixture's host runs besides its TCP table: sshd (inodes 501, 502), psql (601),
   * and dnsmasq listening on UDP port 53 (701).
   */
  static FakeProcTree sshPsqlAndDns(FakeProcTree proc) {
    return proc.file(
            "net/udp",
            "   sl  local_address rem_address   st\n"
                + tcpLine("00000000:0035", "00000000:0000", 0x07, 701))
        .process(1, "sshd", 10, 501, 502)
        .process(40, "psql", 40, 601)
        .process(60, "dnsmasq", 60, 701);
  }

  static String text(MetricSnapshots snapshots) {
    return TaskRun.render(snapshots);
  }

  private static String series(String text, String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).collect(Collectors.joining("\n")) + "\n";
  }

  private Task create(Inventory inventory) throws ConfigurationException {
    return context(Map.of("proc-root", root.toString())).inventory(inventory).create();
  }

  /** The context of a task with these options, on a host whose primary IP is 10.0.0.1. */
  static TestTaskContext context(Map<String, String> options) throws ConfigurationException {
    return TestTaskContext.of(new SocketstatTaskProvider(), options)
        .host(TestTaskContext.host("test-host", "10.0.0.1"));
  }

  @Nested
  class Provider {

    @Test
    void isFoundByServiceLoaderAndEnabledByDefault() {
      assertThat(ServiceLoader.load(TaskProvider.class))
          .singleElement()
          .satisfies(
              provider -> {
                assertThat(provider.name()).isEqualTo("socketstat");
                assertThat(provider.enabledByDefault()).isTrue();
                assertThat(provider.options())
                    .containsExactly(
                        TaskOption.of(
                            "proc-root",
                            OptionType.STRING,
                            "/proc",
                            provider.options().get(0).description()),
                        TaskOption.of(
                            "source",
                            OptionType.STRING,
                            "auto",
                            provider.options().get(1).description()),
                        TaskOption.of(
                            "bytes",
                            OptionType.BOOLEAN,
                            "true",
                            provider.options().get(2).description()),
                        TaskOption.of(
                            "health",
                            OptionType.BOOLEAN,
                            "true",
                            provider.options().get(3).description()),
                        TaskOption.of(
                            "edge-retention",
                            OptionType.DURATION,
                            "10m",
                            provider.options().get(4).description()),
                        TaskOption.of(
                            "namespaces",
                            OptionType.STRING,
                            "all",
                            provider.options().get(5).description()),
                        TaskOption.of(
                            "docker-root",
                            OptionType.STRING,
                            "/var/lib/docker",
                            provider.options().get(6).description()),
                        TaskOption.of(
                            "containerd-state",
                            OptionType.STRING,
                            "/run/containerd",
                            provider.options().get(7).description()),
                        TaskOption.of(
                            "crio-root",
                            OptionType.STRING,
                            "/run/containers/storage",
                            provider.options().get(8).description()),
                        TaskOption.of(
                            "container-id-label",
                            OptionType.BOOLEAN,
                            "true",
                            provider.options().get(9).description()));
              });
    }

    @Test
    void refusesNamespacesOtherThanAllOrOwn() {
      assertThatThrownBy(
              () -> context(Map.of("proc-root", root.toString(), "namespaces", "mine")).create())
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("namespaces: \"mine\" is neither all nor own")
          .extracting(e -> ((ConfigurationException) e).option())
          .isEqualTo(Optional.of("namespaces"));
    }

    @Test
    void refusesAProcRootThatIsNotADirectory() {
      assertThatThrownBy(
              () -> context(Map.of("proc-root", root.resolve("nope").toString())).create())
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("proc-root: " + root.resolve("nope") + " is not a directory")
          .extracting(e -> ((ConfigurationException) e).option())
          .isEqualTo(Optional.of("proc-root"));
    }
  }

  @Nested
  class Collection {

    @Test
    void servesListenersUpstreamsAndDownstreamsWithOwnersFromTheFdWalk() throws Exception {
      proc.file(
              "net/tcp",
              TCP_HEADER
                  + tcpLine("00000000:0016", "00000000:0000", 0x0A, 501)
                  + tcpLine("0100000A:0016", "0900000A:9C40", 0x01, 502)
                  + tcpLine("0100000A:0016", "0900000A:9C41", 0x06, 0)
                  + tcpLine("0100000A:9C42", "0900000A:1538", 0x01, 601)
                  + tcpLine("0100007F:9C43", "0100007F:1F90", 0x01, 602)
                  + tcpLine("0100000A:9C44", "0900000A:01BB", 0x06, 0))
          .process(41, "curl", 41, 602)
          .vanished(50);
      sshPsqlAndDns(proc);
      Task task = create(new MapInventory().with("10.0.0.9", "db.example", "db"));

      task.run();
      String text = text(task.snapshot());

      assertThat(series(text, "planet_server_process"))
          .isEqualTo(
              """
              planet_server_process{bind="0.0.0.0:22",container="",local_hostgroup="",port="22",process_name="sshd",protocol="tcp",unit="",workload=""} 1.0
              planet_server_process{bind="0.0.0.0:53",container="",local_hostgroup="",port="53",process_name="dnsmasq",protocol="udp",unit="",workload=""} 1.0
              """);
      assertThat(series(text, "planet_upstream"))
          .isEqualTo(
              """
              planet_upstream{container="",local_address="10.0.0.1",local_hostgroup="",port="443",process_name="",protocol="tcp",remote_address="db.example",remote_hostgroup="db",unit="",workload=""} 1.0
              planet_upstream{container="",local_address="10.0.0.1",local_hostgroup="",port="5432",process_name="psql",protocol="tcp",remote_address="db.example",remote_hostgroup="db",unit="",workload=""} 1.0
              planet_upstream{container="",local_address="10.0.0.1",local_hostgroup="",port="8080",process_name="curl",protocol="tcp",remote_address="localhost",remote_hostgroup="localhost",unit="",workload=""} 1.0
              """);
      assertThat(series(text, "planet_downstream"))
          .isEqualTo(
              """
              planet_downstream{container="",local_address="10.0.0.1",local_hostgroup="",port="22",process_name="sshd",protocol="tcp",remote_address="db.example",remote_hostgroup="db",unit="",workload=""} 1.0
              """);
      assertThat(series(text, "planet_socketstat_s"))
          .isEqualTo(
              """
              planet_socketstat_skipped_namespaces 0.0
              planet_socketstat_skipped_processes{reason="denied"} 0.0
              planet_socketstat_skipped_processes{reason="error"} 0.0
              planet_socketstat_skipped_processes{reason="vanished"} 1.0
              planet_socketstat_sockets{protocol="tcp",state="close"} 0.0
              planet_socketstat_sockets{protocol="tcp",state="close_wait"} 0.0
              planet_socketstat_sockets{protocol="tcp",state="closing"} 0.0
              planet_socketstat_sockets{protocol="tcp",state="established"} 3.0
              planet_socketstat_sockets{protocol="tcp",state="fin_wait1"} 0.0
              planet_socketstat_sockets{protocol="tcp",state="fin_wait2"} 0.0
              planet_socketstat_sockets{protocol="tcp",state="last_ack"} 0.0
              planet_socketstat_sockets{protocol="tcp",state="listen"} 1.0
              planet_socketstat_sockets{protocol="tcp",state="syn_recv"} 0.0
              planet_socketstat_sockets{protocol="tcp",state="syn_sent"} 0.0
              planet_socketstat_sockets{protocol="tcp",state="time_wait"} 2.0
              planet_socketstat_sockets{protocol="udp",state="close"} 1.0
              planet_socketstat_sockets{protocol="udp",state="established"} 0.0
              """);
    }

    @Test
    void countsSocketsWhoseProcessIsUnknownAndDoesNotWalkAgainWhenNothingIsNew() throws Exception {
      proc.file(
              "net/tcp",
              TCP_HEADER
                  + tcpLine("0100000A:9C42", "0900000A:1538", 0x01, 601)
                  + tcpLine("0100000A:9C43", "0900000A:1538", 0x01, 602))
          .process(40, "psql", 40, 601);
      Task task = create(Inventory.empty());

      task.run();
      task.run();
      String text = text(task.snapshot());

      assertThat(series(text, "planet_socketstat_unresolved_sockets"))
          .isEqualTo(
              """
              planet_socketstat_unresolved_sockets{protocol="tcp"} 1.0
              planet_socketstat_unresolved_sockets{protocol="udp"} 0.0
              """);
      assertThat(series(text, "planet_socketstat_fd_walks_total"))
          .isEqualTo("planet_socketstat_fd_walks_total 1.0\n");
      assertThat(series(text, "planet_socketstat_owner_cache_hits"))
          .isEqualTo("planet_socketstat_owner_cache_hits 1.0\n");
    }

    @Test
    void countsUnparsableLinesWithoutFailing() throws Exception {
      proc.file(
          "net/tcp",
          TCP_HEADER
              + tcpLine("0100000A:9C42", "0900000A:1538", 0x01, 601)
              + "   1: 0100000A:9C43 0900000A:15");
      Task task = create(Inventory.empty());

      task.run();

      assertThat(series(text(task.snapshot()), "planet_socketstat_unparsable_lines"))
          .isEqualTo("planet_socketstat_unparsable_lines 1.0\n");
    }
  }

  /**
   * The exporter's namespace (inode 111) with sshd and psql, and a container's (222) with postgres
   * and app, both in the container 3f4e8a9b2c1d (Compose's shop/db, where its state is written): a
   * listener on 5432 in the container does not make the host's connection to port 5432 a
   * downstream, and the container's loopback and wildcard addresses stand for its own primary IP,
   * 198.18.77.2.
   */
  @Nested
  class Namespaces {

    private static final String CONTAINER =
        "3f4e8a9b2c1d0e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f";

    /** The runtimes' state directories. */
    @TempDir Path state;

    @BeforeEach
    void createNamespaces() {
      proc.netNamespace(0, 111)
          .file(
              "net/tcp",
              TCP_HEADER
                  + tcpLine("00000000:0016", "00000000:0000", 0x0A, 501)
                  + tcpLine("0100000A:9C42", "024D12C6:1538", 0x01, 601))
          .process(1, "sshd", 10, 501)
          .netNamespace(1, 111)
          .cgroup(1, "0::/system.slice/ssh.service\n")
          .process(40, "psql", 40, 601)
          .netNamespace(40, 111)
          .cgroup(40, "0::/user.slice/user-1000.slice/session-3.scope\n")
          .process(200, "postgres", 200, 801, 802, 804)
          .netNamespace(200, 222)
          .cgroup(200, "0::/system.slice/docker-" + CONTAINER + ".scope\n")
          .process(300, "app", 300, 803)
          .netNamespace(300, 222)
          .cgroup(300, "0::/system.slice/docker-" + CONTAINER + ".scope\n")
          .file(
              "200/net/tcp",
              TCP_HEADER
                  + tcpLine("00000000:1538", "00000000:0000", 0x0A, 801)
                  + tcpLine("024D12C6:1538", "090012C6:9C40", 0x01, 802)
                  + tcpLine("0100007F:9C41", "0100007F:1538", 0x01, 803)
                  + tcpLine("0100007F:1538", "0100007F:9C41", 0x01, 804));
      containerNetwork(200);
    }

    /** The routes and addresses of a namespace whose primary IP is 198.18.77.2. */
    private void containerNetwork(int pid) {
      proc.file(
              pid + "/net/route",
              "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
                  + "eth0\t00000000\t014D12C6\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
                  + "eth0\t004D12C6\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n")
          .file(
              pid + "/net/fib_trie",
              """
              Main:
                +-- 0.0.0.0/0 3 0 5
                   |-- 198.18.77.2
                      /32 host LOCAL
              """);
    }

    @Test
    void readsEveryNamespaceWithItsOwnListenersPrimaryIpAndWorkloads() throws Exception {
      new RuntimeStateTree(state).dockerCompose(CONTAINER, "shop", "db");
      Task task =
          context(
                  Map.of(
                      "proc-root",
                      root.toString(),
                      "docker-root",
                      new RuntimeStateTree(state).roots().docker().toString()))
              .create();
      task.run();

      String text = text(task.snapshot());
      assertThat(series(text, "planet_server_process{"))
          .isEqualTo(
              """
              planet_server_process{bind="0.0.0.0:22",container="",local_hostgroup="",port="22",process_name="sshd",protocol="tcp",unit="ssh.service",workload=""} 1.0
              planet_server_process{bind="0.0.0.0:5432",container="3f4e8a9b2c1d",local_hostgroup="",port="5432",process_name="postgres",protocol="tcp",unit="",workload="shop/db"} 1.0
              """);
      assertThat(series(text, "planet_upstream{"))
          .isEqualTo(
              """
              planet_upstream{container="",local_address="10.0.0.1",local_hostgroup="",port="5432",process_name="psql",protocol="tcp",remote_address="198.18.77.2",remote_hostgroup="",unit="session-3.scope",workload=""} 1.0
              planet_upstream{container="3f4e8a9b2c1d",local_address="198.18.77.2",local_hostgroup="",port="5432",process_name="app",protocol="tcp",remote_address="localhost",remote_hostgroup="localhost",unit="",workload="shop/db"} 1.0
              """);
      assertThat(series(text, "planet_downstream{"))
          .isEqualTo(
              """
              planet_downstream{container="3f4e8a9b2c1d",local_address="198.18.77.2",local_hostgroup="",port="5432",process_name="postgres",protocol="tcp",remote_address="198.18.0.9",remote_hostgroup="",unit="",workload="shop/db"} 1.0
              planet_downstream{container="3f4e8a9b2c1d",local_address="198.18.77.2",local_hostgroup="",port="5432",process_name="postgres",protocol="tcp",remote_address="localhost",remote_hostgroup="localhost",unit="",workload="shop/db"} 1.0
              """);
      assertThat(series(text, "planet_socketstat_namespaces "))
          .isEqualTo("planet_socketstat_namespaces 2.0\n");
      assertThat(series(text, "planet_socketstat_skipped_namespaces "))
          .isEqualTo("planet_socketstat_skipped_namespaces 0.0\n");
      // Who owns each address: the host its own, the Compose service the container's.
      assertThat(series(text, "planet_address_info"))
          .isEqualTo(
              """
              planet_address_info{address="10.0.0.1",container="",hostname="test-host",unit="",workload=""} 1.0
              planet_address_info{address="198.18.77.2",container="3f4e8a9b2c1d",hostname="test-host",unit="",workload="shop/db"} 1.0
              """);
      assertThat(series(text, "planet_socketstat_unnamed_containers"))
          .isEqualTo(
              """
              planet_socketstat_unnamed_containers{reason="invalid"} 0.0
              planet_socketstat_unnamed_containers{reason="missing"} 0.0
              planet_socketstat_unnamed_containers{reason="unreadable"} 0.0
              """);
    }

    @Test
    void dropsTheContainerIdWhenToldAndCountsAContainerWithoutState() throws Exception {
      Task task =
          context(
                  Map.of(
                      "proc-root",
                      root.toString(),
                      "docker-root",
                      state.resolve("nowhere").toString(),
                      "container-id-label",
                      "false"))
              .create();
      task.run();

      String text = text(task.snapshot());
      assertThat(series(text, "planet_server_process{bind=\"0.0.0.0:5432\""))
          .isEqualTo(
              """
              planet_server_process{bind="0.0.0.0:5432",container="",local_hostgroup="",port="5432",process_name="postgres",protocol="tcp",unit="",workload=""} 1.0
              """);
      assertThat(series(text, "planet_address_info{address=\"198.18.77.2\""))
          .isEqualTo(
              """
              planet_address_info{address="198.18.77.2",container="",hostname="test-host",unit="",workload=""} 1.0
              """);
      assertThat(series(text, "planet_socketstat_unnamed_containers{reason=\"missing\""))
          .isEqualTo("planet_socketstat_unnamed_containers{reason=\"missing\"} 1.0\n");
    }

    @Test
    void readsOnlyTheExportersNamespaceWhenToldOwn() throws Exception {
      Task task = context(Map.of("proc-root", root.toString(), "namespaces", "own")).create();
      task.run();

      String text = text(task.snapshot());
      assertThat(series(text, "planet_server_process{") + series(text, "planet_downstream{"))
          .isEqualTo(
              """
              planet_server_process{bind="0.0.0.0:22",container="",local_hostgroup="",port="22",process_name="sshd",protocol="tcp",unit="ssh.service",workload=""} 1.0

              """);
      assertThat(series(text, "planet_socketstat_namespaces "))
          .isEqualTo("planet_socketstat_namespaces 1.0\n");
    }

    @Test
    void skipsAndCountsANamespaceWhoseProcessesExitedAndTriesTheNextProcessOfOne()
        throws Exception {
      // 400 and 500 exited after the namespaces were listed: only their ns/net link is left.
      proc.netNamespace(400, 333)
          .netNamespace(500, 444)
          .process(501, "worker", 501)
          .netNamespace(501, 444)
          .file("501/net/tcp", TCP_HEADER + tcpLine("00000000:1F90", "00000000:0000", 0x0A, 0));
      containerNetwork(501);
      Task task = create(Inventory.empty());
      task.run();

      String text = text(task.snapshot());
      assertThat(series(text, "planet_server_process{bind=\"0.0.0.0:8080\""))
          .isEqualTo(
              """
              planet_server_process{bind="0.0.0.0:8080",container="",local_hostgroup="",port="8080",process_name="",protocol="tcp",unit="",workload=""} 1.0
              """);
      assertThat(series(text, "planet_socketstat_namespaces "))
          .isEqualTo("planet_socketstat_namespaces 3.0\n");
      assertThat(series(text, "planet_socketstat_skipped_namespaces "))
          .isEqualTo("planet_socketstat_skipped_namespaces 1.0\n");
    }
  }

  @Nested
  class Failure {

    @Test
    void servesNothingBeforeTheFirstRun() throws Exception {
      assertThat(create(Inventory.empty()).snapshot()).isEmpty();
    }

    @Test
    void failsWithoutAnySocketTableAndKeepsServingTheLastGoodResult() throws Exception {
      proc.file("net/tcp", TCP_HEADER + tcpLine("00000000:0016", "00000000:0000", 0x0A, 501));
      Task task = create(Inventory.empty());
      task.run();
      Files.delete(root.resolve("net/tcp"));

      assertThatThrownBy(task::run)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("no socket table under " + root);
      assertThat(series(text(task.snapshot()), "planet_server_process"))
          .isEqualTo(
              """
              planet_server_process{bind="0.0.0.0:22",container="",local_hostgroup="",port="22",process_name="",protocol="tcp",unit="",workload=""} 1.0
              """);
    }
  }

  @Nested
  class MetricNames {

    @Test
    void declaresExactlyTheFamiliesARunServes() throws Exception {
      proc.file("net/tcp", TCP_HEADER + tcpLine("00000000:0016", "00000000:0000", 0x0A, 501));
      Task task = create(Inventory.empty());
      task.run();

      assertThat(task.snapshot().stream().map(family -> family.getMetadata().getPrometheusName()))
          .containsExactlyInAnyOrderElementsOf(task.metricNames());
    }

    /**
     * What lets the exporter refuse to start two tasks that would both serve {@code
     * planet_upstream} (the crew compares the names each task declares; that check is the
     * collector's own test): the task declares its families when created, before any run, and a run
     * changes nothing of them.
     */
    @Test
    void declaresPlanetUpstreamWhenCreatedSoThatAClashStopsStartup() throws Exception {
      proc.file("net/tcp", TCP_HEADER + tcpLine("00000000:0016", "00000000:0000", 0x0A, 501));
      Task task = create(Inventory.empty());
      Set<String> declared = Set.copyOf(task.metricNames());

      assertThat(declared)
          .contains("planet_upstream", "planet_downstream", "planet_server_process");
      task.run();
      assertThat(task.metricNames()).isEqualTo(declared);
    }
  }
}
