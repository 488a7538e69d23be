package io.planetexporter.task.socketstat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.Inventory;
import io.planetexporter.api.OptionType;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketstatTaskTest {

  private static final String TCP_HEADER =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout"
          + " inode\n";

  @TempDir Path root;
  private FakeProcTree proc;

  @BeforeEach
  void createTree() {
    proc = new FakeProcTree(root).file("sys/net/ipv4/ip_local_port_range", "32768\t60999\n");
  }

  /** A /proc/net/tcp line; addresses as the kernel of a little-endian host writes them. */
  private static String tcpLine(String local, String remote, int state, long inode) {
    return String.format(
        "   0: %s %s %02X 00000000:00000000 00:00000000 00000000     0        0 %d 1"
            + " 0000000000000000 100 0 0 10 0\n",
        local, remote, state, inode);
  }

  static String text(MetricSnapshots snapshots) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, snapshots);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String series(String text, String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).collect(Collectors.joining("\n")) + "\n";
  }

  private Task create(Inventory inventory) throws ConfigurationException {
    return new SocketstatTaskProvider()
        .create(TestContext.of(root.toString(), "10.0.0.1", inventory));
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
                            "edge-retention",
                            OptionType.DURATION,
                            "10m",
                            provider.options().get(3).description()));
              });
    }

    @Test
    void refusesAProcRootThatIsNotADirectory() {
      assertThatThrownBy(
              () ->
                  new SocketstatTaskProvider()
                      .create(
                          TestContext.of(
                              root.resolve("nope").toString(), "10.0.0.1", Inventory.empty())))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "-task-socketstat-proc-root: " + root.resolve("nope") + " is not a directory");
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
          .file(
              "net/udp",
              "   sl  local_address rem_address   st\n"
                  + tcpLine("00000000:0035", "00000000:0000", 0x07, 701))
          .process(1, "sshd", 10, 501, 502)
          .process(40, "psql", 40, 601)
          .process(41, "curl", 41, 602)
          .vanished(50)
          .process(60, "dnsmasq", 60, 701);
      Task task = create(new MapInventory().with("10.0.0.9", "db.example", "db"));

      task.run();
      String text = text(task.snapshot());

      assertThat(series(text, "planet_server_process"))
          .isEqualTo(
              """
              planet_server_process{bind="0.0.0.0:22",local_hostgroup="",port="22",process_name="sshd",protocol="tcp"} 1.0
              planet_server_process{bind="0.0.0.0:53",local_hostgroup="",port="53",process_name="dnsmasq",protocol="udp"} 1.0
              """);
      assertThat(series(text, "planet_upstream"))
          .isEqualTo(
              """
              planet_upstream{local_address="10.0.0.1",local_hostgroup="",port="443",process_name="",protocol="tcp",remote_address="db.example",remote_hostgroup="db"} 1.0
              planet_upstream{local_address="10.0.0.1",local_hostgroup="",port="5432",process_name="psql",protocol="tcp",remote_address="db.example",remote_hostgroup="db"} 1.0
              planet_upstream{local_address="10.0.0.1",local_hostgroup="",port="8080",process_name="curl",protocol="tcp",remote_address="localhost",remote_hostgroup="localhost"} 1.0
              """);
      assertThat(series(text, "planet_downstream"))
          .isEqualTo(
              """
              planet_downstream{local_address="10.0.0.1",local_hostgroup="",port="22",process_name="sshd",protocol="tcp",remote_address="db.example",remote_hostgroup="db"} 1.0
              """);
      assertThat(series(text, "planet_socketstat_s"))
          .isEqualTo(
              """
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
              planet_server_process{bind="0.0.0.0:22",local_hostgroup="",port="22",process_name="",protocol="tcp"} 1.0
              """);
    }
  }
}
