package io.planetexporter.task.darkstat;

import static io.planetexporter.api.testing.TestSnapshots.counterValues;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import io.planetexporter.api.Host;
import io.planetexporter.api.Inventory;
import io.planetexporter.api.Task;
import io.planetexporter.api.testing.TaskRun;
import io.planetexporter.api.testing.TestInventory;
import io.planetexporter.api.testing.TestTaskContext;
import io.planetexporter.testfixtures.TestHttpServer;
import io.planetexporter.textformat.TextFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The darkstat task against a real HTTP server on loopback serving darkstat's real captures
 * (../shared/fixtures/darkstat, whose README gives the byte counts behind every page).
 */
class DarkstatTaskTest {

  private TestHttpServer server;
  private byte[] page;

  @BeforeEach
  void start() throws IOException {
    server = TestHttpServer.start();
    page = fixture("metrics-ipv4.txt");
    server.respond(200, page);
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = DarkstatTaskTest.class.getResourceAsStream("DarkstatTaskTest/" + name)) {
      return in.readAllBytes();
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Task task(Inventory inventory) throws Exception {
    return TestTaskContext.of(
            new DarkstatTaskProvider(), Map.of("addr", server.uri("/metrics").toString()))
        .host(DarkstatPageTest.LOCAL)
        .inventory(inventory)
        .create();
  }

  private Task task() throws Exception {
    return task(Inventory.empty());
  }

  @Nested
  class Captures {

    /** Serves the capture and returns what one run of the task made of it. */
    private Map<String, Double> traffic(String fixture) throws Exception {
      server.respond(200, fixture(fixture));
      Task task = task();
      task.run();
      return counterValues(task.snapshot(), "remote_ip", "direction");
    }

    @Test
    void ipv4PageGivesEachRemoteHostsBytesWithDarkstatsDirectionsReversed() throws Exception {
      // Remote 198.18.0.2 sent us 1,000,000 payload bytes (1001516 IP bytes, its dir="out").
      assertThat(traffic("metrics-ipv4.txt"))
          .containsExactly(
              entry("198.18.0.2 egress", 1152.0),
              entry("198.18.0.2 ingress", 1001516.0),
              entry("198.18.0.3 egress", 250736.0),
              entry("198.18.0.3 ingress", 632.0),
              entry("198.18.0.4 egress", 4424.0),
              entry("198.18.0.4 ingress", 64528.0),
              entry("198.18.0.5 egress", 1584.0),
              entry("198.18.0.5 ingress", 10280.0));
    }

    @Test
    void pageWithoutMacLabelGivesTheSameNumbers() throws Exception {
      assertThat(traffic("metrics-ipv4-no-macs.txt")).isEqualTo(traffic("metrics-ipv4.txt"));
    }

    @Test
    void localOnlyPageHasOnlyTheLocalHostSoNoSeries() throws Exception {
      assertThat(traffic("metrics-ipv4-local-only.txt")).isEmpty();
    }

    @Test
    void emptyPageGivesNoSeriesAndSucceeds() throws Exception {
      server.respond(200, fixture("metrics-empty.txt"));
      Task task = task();
      task.run();
      assertThat(TaskRun.render(task))
          .isEqualTo(
              """
              # HELP planet_darkstat_folded_peers Peers whose bytes are counted in the remote_ip="other" series, to keep the task within its series budget.
              # TYPE planet_darkstat_folded_peers gauge
              planet_darkstat_folded_peers 0.0
              """);
    }

    @Test
    void ipv4Ipv6PageSkipsOwnUnspecifiedAndMulticastButKeepsLinkLocalNeighbours() throws Exception {
      assertThat(traffic("metrics-ipv4-ipv6.txt"))
          .containsExactly(
              entry("198.18.0.2 egress", 840.0),
              entry("198.18.0.2 ingress", 300840.0),
              entry("198.18.0.3 egress", 0.0),
              entry("198.18.0.3 ingress", 2912.0),
              entry("fd42::2 egress", 21744.0),
              entry("fd42::2 ingress", 501592.0),
              entry("fd42::3 egress", 124256.0),
              entry("fd42::3 ingress", 7040.0),
              entry("fe80::f0bd:78ff:fed8:d915 egress", 0.0),
              entry("fe80::f0bd:78ff:fed8:d915 ingress", 400.0));
    }

    @Test
    void twoInterfacesPageSkipsLoopbackScrapesOfDarkstatItself() throws Exception {
      assertThat(traffic("metrics-two-interfaces.txt"))
          .containsExactly(entry("198.18.0.2 egress", 512.0), entry("198.18.0.2 ingress", 456.0));
    }

    @Test
    void largePageFollowsItsRuleForAll2500RemoteHosts() throws Exception {
      Map<String, Double> expected = new HashMap<>();
      int first = InetAddresses.coerceToInteger(InetAddresses.forString("198.19.0.1"));
      for (int i = 0; i < 2500; i++) {
        String ip = InetAddresses.toAddrString(InetAddresses.fromInteger(first + i));
        expected.put(ip + " ingress", 60.0 + i % 64);
        expected.put(ip + " egress", i % 10 == 0 ? 128.0 : 0.0);
      }
      assertThat(traffic("metrics-large.txt")).hasSize(5000).isEqualTo(expected);
    }

    @Test
    void prunedLargePageKeepsEverySurvivingHost() throws Exception {
      // 641 hosts survived darkstat's pruning; one of them is the local host.
      assertThat(traffic("metrics-large-default-hosts-max.txt")).hasSize(2 * 640);
    }
  }

  @Nested
  class Serving {

    @Test
    void servesTheCapturedBytesAsCountersNamedThroughTheInventory() throws Exception {
      Inventory inventory =
          TestInventory.of(
              Map.of(
                  "198.18.0.1", new Host("pe-a.example", "planet"),
                  "198.18.0.2", new Host("db.example", "db"),
                  "198.18.0.4", new Host("web.example", "web")));
      Task task = task(inventory);
      task.run();
      assertThat(TaskRun.render(task))
          .isEqualTo(
              """
              # HELP planet_darkstat_folded_peers Peers whose bytes are counted in the remote_ip="other" series, to keep the task within its series budget.
              # TYPE planet_darkstat_folded_peers gauge
              planet_darkstat_folded_peers 0.0
              # HELP planet_traffic_bytes_total Bytes exchanged with each remote peer, as counted by darkstat.
              # TYPE planet_traffic_bytes_total counter
              planet_traffic_bytes_total{direction="egress",local_domain="pe-a.example",local_hostgroup="planet",remote_domain="",remote_hostgroup="",remote_ip="198.18.0.3"} 250736.0
              planet_traffic_bytes_total{direction="egress",local_domain="pe-a.example",local_hostgroup="planet",remote_domain="",remote_hostgroup="",remote_ip="198.18.0.5"} 1584.0
              planet_traffic_bytes_total{direction="egress",local_domain="pe-a.example",local_hostgroup="planet",remote_domain="db.example",remote_hostgroup="db",remote_ip="198.18.0.2"} 1152.0
              planet_traffic_bytes_total{direction="egress",local_domain="pe-a.example",local_hostgroup="planet",remote_domain="web.example",remote_hostgroup="web",remote_ip="198.18.0.4"} 4424.0
              planet_traffic_bytes_total{direction="ingress",local_domain="pe-a.example",local_hostgroup="planet",remote_domain="",remote_hostgroup="",remote_ip="198.18.0.3"} 632.0
              planet_traffic_bytes_total{direction="ingress",local_domain="pe-a.example",local_hostgroup="planet",remote_domain="",remote_hostgroup="",remote_ip="198.18.0.5"} 10280.0
              planet_traffic_bytes_total{direction="ingress",local_domain="pe-a.example",local_hostgroup="planet",remote_domain="db.example",remote_hostgroup="db",remote_ip="198.18.0.2"} 1001516.0
              planet_traffic_bytes_total{direction="ingress",local_domain="pe-a.example",local_hostgroup="planet",remote_domain="web.example",remote_hostgroup="web",remote_ip="198.18.0.4"} 64528.0
              """);
    }

    @Test
    void servesNothingBeforeTheFirstRun() throws Exception {
      assertThat(task().snapshot()).isEmpty();
    }

    @Test
    void readsAGzipCompressedPage() throws Exception {
      server.respondGzip(page);
      Task task = task();
      task.run();
      assertThat(counterValues(task.snapshot(), "remote_ip", "direction"))
          .containsEntry("198.18.0.2 ingress", 1001516.0)
          .hasSize(8);
    }
  }

  /** How PeerTrafficTask fails is PeerTrafficTaskTest's; here, that darkstat's reader is wired. */
  @Nested
  class Failures {

    @Test
    void failsOnAPageThatIsNotDarkstatsAndServesNoSeries() throws Exception {
      Task task = task();
      task.run();
      assertThat(counterValues(task.snapshot(), "remote_ip", "direction")).hasSize(8);
      server.respond(200, "# TYPE up gauge\nup 1\n");
      assertThatThrownBy(task::run)
          .isInstanceOf(TextFormatException.class)
          .hasMessage(
              server.uri("/metrics")
                  + ": line 1: no host_bytes_total on the page; is it darkstat's /metrics?");
      assertThat(task.snapshot()).isEmpty();
    }
  }
}
