package io.planetexporter.task.darkstat;

import static io.planetexporter.task.support.TestSnapshots.counterValues;
import static io.planetexporter.task.support.TestSnapshots.text;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import io.planetexporter.api.GoDuration;
import io.planetexporter.api.Host;
import io.planetexporter.api.Inventory;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskConfig;
import io.planetexporter.task.support.FetchException;
import io.planetexporter.task.support.TestHttpServer;
import io.planetexporter.task.support.TestInventory;
import io.planetexporter.task.support.TestTaskContext;
import io.planetexporter.task.support.TextFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
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

  private Task task(URI addr, Inventory inventory, Duration timeout, String maxBodySize)
      throws Exception {
    DarkstatTaskProvider provider = new DarkstatTaskProvider();
    TaskConfig config =
        TestTaskContext.config(
            provider.options(),
            Map.of(
                "addr", addr.toString(),
                "fetch-timeout", GoDuration.format(timeout),
                "max-body-size", maxBodySize));
    return provider.create(
        new TestTaskContext(
            "darkstat", config, () -> inventory, DarkstatPageTest.LOCAL, Clock.systemUTC()));
  }

  private Task task() throws Exception {
    return task(server.uri("/metrics"), Inventory.empty(), Duration.ofSeconds(5), "64MiB");
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
    void emptyPageGivesNoSeries() throws Exception {
      assertThat(traffic("metrics-empty.txt")).isEmpty();
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
      Task task = task(server.uri("/metrics"), inventory, Duration.ofSeconds(5), "64MiB");
      task.run();
      assertThat(text(task.snapshot()))
          .isEqualTo(
              """
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

    @Test
    void servesAnEmptyPageAsNoSeriesAndSucceeds() throws Exception {
      server.respond(
          200,
          "# HELP host_bytes_total Total number of network bytes by host and direction.\n"
              + "# TYPE host_bytes_total counter\n");
      Task task = task();
      task.run();
      assertThat(text(task.snapshot())).isEmpty();
    }
  }

  @Nested
  class Failures {

    /** Runs once against the good page, then against the broken upstream. */
    private Task ranOnce(Duration timeout, String maxBodySize) throws Exception {
      Task task = task(server.uri("/metrics"), Inventory.empty(), timeout, maxBodySize);
      task.run();
      assertThat(counterValues(task.snapshot(), "remote_ip", "direction")).hasSize(8);
      return task;
    }

    @Test
    void failsOnHttpErrorAndServesNoSeriesUntilARunSucceeds() throws Exception {
      Task task = ranOnce(Duration.ofSeconds(5), "64MiB");
      server.respond(500, "internal error");
      assertThatThrownBy(task::run)
          .isInstanceOf(FetchException.class)
          .hasMessage("GET " + server.uri("/metrics") + ": HTTP 500");
      assertThat(task.snapshot()).isEmpty();

      server.respond(200, page);
      task.run();
      assertThat(counterValues(task.snapshot(), "remote_ip", "direction")).hasSize(8);
    }

    @Test
    void failsOnGarbageNamingThePageAndLine() throws Exception {
      Task task = ranOnce(Duration.ofSeconds(5), "64MiB");
      server.respond(200, "<html><body>\nnot metrics\n</body></html>\n");
      assertThatThrownBy(task::run)
          .isInstanceOf(TextFormatException.class)
          .hasMessage(
              server.uri("/metrics") + ": line 1: expected a metric name at column 1, found '<'");
      assertThat(task.snapshot()).isEmpty();
    }

    @Test
    void failsOnAPageThatIsNotDarkstats() throws Exception {
      Task task = ranOnce(Duration.ofSeconds(5), "64MiB");
      server.respond(200, "# TYPE up gauge\nup 1\n");
      assertThatThrownBy(task::run)
          .isInstanceOf(TextFormatException.class)
          .hasMessageEndingWith("no host_bytes_total on the page; is it darkstat's /metrics?");
      assertThat(task.snapshot()).isEmpty();
    }

    @Test
    void failsOnAnOversizedBody() throws Exception {
      Task task = ranOnce(Duration.ofSeconds(5), "1KiB");
      server.respond(200, new String(page, java.nio.charset.StandardCharsets.UTF_8).repeat(2));
      assertThatThrownBy(task::run)
          .isInstanceOf(FetchException.class)
          .hasMessage("GET " + server.uri("/metrics") + ": body larger than 1024 bytes");
      assertThat(task.snapshot()).isEmpty();
    }

    @Test
    void failsOnABodyTricklingPastTheDeadline() throws Exception {
      Task task = ranOnce(Duration.ofSeconds(1), "64MiB");
      server.respondTrickling(
          new String(page, java.nio.charset.StandardCharsets.UTF_8), Duration.ofMillis(20));
      assertThatThrownBy(task::run)
          .isInstanceOf(FetchException.class)
          .hasMessageStartingWith("GET " + server.uri("/metrics") + ": deadline of 1s exceeded");
      assertThat(task.snapshot()).isEmpty();
    }

    @Test
    void failsWhenTheConnectionIsRefused() throws Exception {
      URI closed = TestHttpServer.closedPortUri("/metrics");
      Task task = task(closed, Inventory.empty(), Duration.ofSeconds(5), "64MiB");
      assertThatThrownBy(task::run)
          .isInstanceOf(FetchException.class)
          .hasMessage("GET " + closed + ": connection refused");
      assertThat(task.snapshot()).isEmpty();
    }
  }
}
