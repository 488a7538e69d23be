package io.planetexporter.task.ebpf;

import static io.planetexporter.api.testing.TestSnapshots.counterValues;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.Host;
import io.planetexporter.api.HostIdentity;
import io.planetexporter.api.Inventory;
import io.planetexporter.api.Task;
import io.planetexporter.api.testing.TaskRun;
import io.planetexporter.api.testing.TestInventory;
import io.planetexporter.api.testing.TestTaskContext;
import io.planetexporter.testfixtures.TestHttpServer;
import io.planetexporter.textformat.TextFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The ebpf task against a real HTTP server on loopback serving a tcptop page. */
class EbpfTaskTest {

  static final HostIdentity LOCAL =
      TestTaskContext.host("pe-a", "198.18.0.1", "fd42::1", "127.0.0.1", "::1");

  private TestHttpServer server;
  private String page;

  @BeforeEach
  void start() throws IOException {
    server = TestHttpServer.start();
    try (InputStream in = getClass().getResourceAsStream("EbpfTaskTest/tcptop.txt")) {
      page = new String(in.readAllBytes(), UTF_8);
    }
    server.respond(200, page);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Task task(Inventory inventory) throws Exception {
    return TestTaskContext.of(
            new EbpfTaskProvider(), Map.of("addr", server.uri("/metrics").toString()))
        .host(LOCAL)
        .inventory(inventory)
        .create();
  }

  private Task task() throws Exception {
    return task(Inventory.empty());
  }

  private static Map<String, Double> traffic(Task task) {
    return counterValues(task.snapshot(), "remote_ip", "direction");
  }

  @Nested
  class Serving {

    @Test
    void sumsEveryPidAndPortPerPeerAndDirection() throws Exception {
      Task task = task();
      task.run();
      // 198.18.0.2 ingress: three v4 connections plus one v4-mapped on an IPv6 socket.
      assertThat(traffic(task))
          .containsExactly(
              entry("198.18.0.2 egress", 1000.0),
              entry("198.18.0.2 ingress", 155000.0),
              entry("198.18.0.3 egress", 1500000.0),
              entry("198.18.0.3 ingress", 2048.0),
              entry("fd42::2 egress", 123.0),
              entry("fd42::2 ingress", 10000.0),
              entry("fd42::3 egress", 5.0));
    }

    @Test
    void servesCountersNamedThroughTheInventory() throws Exception {
      Inventory inventory =
          TestInventory.of(
              Map.of(
                  "198.18.0.1", new Host("pe-a.example", "planet"),
                  "fd42::2", new Host("api.example", "api")));
      Task task = task(inventory);
      server.respond(
          200,
          page.lines()
              .filter(l -> l.startsWith("#") || l.contains("fd42::2"))
              .collect(Collectors.joining("\n", "", "\n")));
      task.run();
      assertThat(TaskRun.render(task))
          .isEqualTo(
              """
              # HELP planet_ebpf_folded_peers Peers whose bytes are counted in the remote_ip="other" series, to keep the task within its series budget.
              # TYPE planet_ebpf_folded_peers gauge
              planet_ebpf_folded_peers 0.0
              # HELP planet_ebpf_traffic_bytes_total TCP payload bytes exchanged with each remote peer, as counted by ebpf_exporter's tcptop.
              # TYPE planet_ebpf_traffic_bytes_total counter
              planet_ebpf_traffic_bytes_total{direction="egress",local_domain="pe-a.example",local_hostgroup="planet",remote_domain="api.example",remote_hostgroup="api",remote_ip="fd42::2"} 123.0
              planet_ebpf_traffic_bytes_total{direction="ingress",local_domain="pe-a.example",local_hostgroup="planet",remote_domain="api.example",remote_hostgroup="api",remote_ip="fd42::2"} 10000.0
              """);
    }

    @Test
    void readsAnySubsetOfTheFamilies() throws Exception {
      server.respond(
          200,
          page.lines()
              .filter(l -> l.contains("ipv6_send_bytes"))
              .collect(Collectors.joining("\n", "", "\n")));
      Task task = task();
      task.run();
      assertThat(traffic(task))
          .containsExactly(entry("fd42::2 egress", 123.0), entry("fd42::3 egress", 5.0));
    }

    @Test
    void succeedsWithNoSeriesWhenNoFamilyIsPresent() throws Exception {
      server.respond(200, "# TYPE ebpf_exporter_enabled_programs gauge\n");
      Task task = task();
      task.run();
      assertThat(TaskRun.render(task))
          .isEqualTo(
              """
              # HELP planet_ebpf_folded_peers Peers whose bytes are counted in the remote_ip="other" series, to keep the task within its series budget.
              # TYPE planet_ebpf_folded_peers gauge
              planet_ebpf_folded_peers 0.0
              """);
    }
  }

  /** How PeerTrafficTask fails is PeerTrafficTaskTest's; here, that tcptop's reader is wired. */
  @Nested
  class Failures {

    @Test
    void failsOnADaddrThatIsNotAnAddressAndServesNoSeries() throws Exception {
      Task task = task();
      task.run();
      assertThat(traffic(task)).hasSize(7);
      server.respond(200, "ebpf_exporter_ipv4_send_bytes{daddr=\"c0a80001\",pid=\"1\"} 5\n");
      assertThatThrownBy(task::run)
          .isInstanceOf(TextFormatException.class)
          .hasMessage(
              server.uri("/metrics")
                  + ": line 1: label daddr of ebpf_exporter_ipv4_send_bytes is not an IP address");
      assertThat(task.snapshot()).isEmpty();
    }
  }
}
