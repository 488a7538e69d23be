package io.planetexporter.traffic;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.Host;
import io.planetexporter.api.HostIdentity;
import io.planetexporter.api.Inventory;
import io.planetexporter.api.testing.TaskRun;
import io.planetexporter.api.testing.TestInventory;
import io.planetexporter.api.testing.TestTaskContext;
import io.planetexporter.net.IpAddress;
import io.planetexporter.textformat.PrometheusTextParser;
import io.planetexporter.textformat.TextFormatException;
import io.planetexporter.traffic.PeerTraffic.Direction;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeerTrafficTest {

  static final HostIdentity HOST = TestTaskContext.host("a", "198.18.0.1", "fd42::1", "127.0.0.1");

  /**
   * The test's page format, {@code b{peer="198.18.0.2",dir="in"} 5}: a {@link
   * PeerTrafficTask.PageReader} that leaves every rule to {@link PeerTraffic}.
   */
  static void read(InputStream page, PeerTraffic.Builder traffic)
      throws IOException, TextFormatException {
    PrometheusTextParser.parse(
        page,
        (sample, line) ->
            traffic.add(
                sample,
                line,
                "peer",
                sample.labels().get("dir").equals("in") ? Direction.INGRESS : Direction.EGRESS));
  }

  /** Reads the page into a table and renders it. */
  private static String table(String page, Inventory inventory)
      throws IOException, TextFormatException {
    PeerTraffic.Builder traffic = PeerTraffic.builder(HOST, inventory);
    read(new ByteArrayInputStream(page.getBytes(UTF_8)), traffic);
    return TaskRun.render(MetricSnapshots.of(traffic.build().toCounter("t_bytes", "Test.")));
  }

  @Nested
  class Labels {

    @Test
    void namesPeersAndTheLocalHostThroughTheInventory() throws Exception {
      Inventory inventory =
          TestInventory.of(
              Map.of(
                  "198.18.0.1", new Host("me.example", "me"),
                  "198.18.0.2", new Host("db.example", "db")));
      assertThat(
              table(
                  "b{peer=\"198.18.0.2\",dir=\"in\"} 5\nb{peer=\"fd42::9\",dir=\"out\"} 7\n",
                  inventory))
          .isEqualTo(
              """
              # HELP t_bytes_total Test.
              # TYPE t_bytes_total counter
              t_bytes_total{direction="egress",local_domain="me.example",local_hostgroup="me",\
              remote_domain="",remote_hostgroup="",remote_ip="fd42::9"} 7.0
              t_bytes_total{direction="ingress",local_domain="me.example",local_hostgroup="me",\
              remote_domain="db.example",remote_hostgroup="db",remote_ip="198.18.0.2"} 5.0
              """);
    }

    @Test
    void usesThePrimaryIpForBothLocalLabelsWhenTheInventoryDoesNotKnowIt() throws Exception {
      assertThat(table("b{peer=\"198.18.0.2\",dir=\"in\"} 5\n", Inventory.empty()))
          .contains(
              "t_bytes_total{direction=\"ingress\",local_domain=\"198.18.0.1\","
                  + "local_hostgroup=\"198.18.0.1\",remote_domain=\"\",remote_hostgroup=\"\","
                  + "remote_ip=\"198.18.0.2\"} 5.0");
    }

    @Test
    void writesIpv6PeersInRfc5952FormAndMappedIpv4AsIpv4() throws Exception {
      assertThat(
              table(
                  "b{peer=\"FD42:0:0:0:0:0:0:0002\",dir=\"in\"} 1\n"
                      + "b{peer=\"::ffff:198.18.0.7\",dir=\"in\"} 2\n",
                  Inventory.empty()))
          .contains("remote_ip=\"fd42::2\"} 1.0", "remote_ip=\"198.18.0.7\"} 2.0");
    }
  }

  @Nested
  class Summing {

    @Test
    void countsAZonedLinkLocalPeerAsThePeerWithoutZone() throws Exception {
      assertThat(
              table(
                  "b{peer=\"fe80::1%eth0\",dir=\"in\"} 1\nb{peer=\"fe80::1\",dir=\"in\"} 2\n"
                      + "b{peer=\"fe80::1%2\",dir=\"in\"} 3\n",
                  Inventory.empty()))
          .contains("remote_ip=\"fe80::1\"} 6.0");
    }

    @Test
    void sumsSamplesOfTheSamePeerAndDirection() throws Exception {
      assertThat(
              table(
                  """
                  b{peer="198.18.0.2",dir="in",pid="1"} 5
                  b{peer="198.18.0.2",dir="in",pid="2"} 6
                  b{peer="198.18.0.2",dir="out",pid="2"} 100
                  b{peer="198.18.0.2",dir="in",pid="3"} 0
                  """,
                  Inventory.empty()))
          .contains("direction=\"ingress\"", "remote_ip=\"198.18.0.2\"} 11.0")
          .contains("direction=\"egress\"", "remote_ip=\"198.18.0.2\"} 100.0");
    }

    @Test
    void givesACounterWithoutSeriesForNoPeers() throws Exception {
      assertThat(PeerTraffic.builder(HOST, Inventory.empty()).build().size()).isZero();
      assertThat(table("", Inventory.empty())).isEmpty();
    }
  }

  @Nested
  class Folding {

    static final String PAGE =
        """
        b{peer="198.18.0.2",dir="in"} 5
        b{peer="198.18.0.2",dir="out"} 7
        b{peer="198.18.0.3",dir="in"} 11
        b{peer="198.18.0.4",dir="in"} 13
        b{peer="198.18.0.5",dir="in"} 17
        b{peer="198.18.0.5",dir="out"} 19
        b{peer="198.18.0.6",dir="out"} 23
        """;

    private PeerTraffic fold(String page, Inventory inventory, long budget) throws Exception {
      PeerTraffic.Builder traffic = PeerTraffic.builder(HOST, inventory);
      read(new ByteArrayInputStream(page.getBytes(UTF_8)), traffic);
      PeerFolding<IpAddress> folding = new PeerFolding<>(Comparator.naturalOrder());
      return traffic.build(folding.start(Instant.EPOCH), budget);
    }

    private String text(PeerTraffic table) {
      return TaskRun.render(MetricSnapshots.of(table.toCounter("t_bytes", "Test.")));
    }

    @Test
    void foldsThePeersWithFewestSeriesIntoOtherAddingTheirBytes() throws Exception {
      PeerTraffic table = fold(PAGE, Inventory.empty(), 6);

      // .3, .4 and .6 have one series each, .3 and .4 first in address order: folding .3 makes an
      // other series (7 series still), folding .4 adds to it (6).
      assertThat(table.size()).isEqualTo(6);
      assertThat(table.foldedPeers()).isEqualTo(2);
      assertThat(text(table))
          .contains("direction=\"ingress\"", "remote_ip=\"other\"} 24.0")
          .contains("remote_ip=\"198.18.0.6\"} 23.0")
          .doesNotContain("198.18.0.3", "198.18.0.4");
    }

    @Test
    void keepsTheSumOfEveryDirectionWhateverTheBudget() throws Exception {
      for (int budget = 1; budget <= 8; budget++) {
        PeerTraffic table = fold(PAGE, Inventory.empty(), budget);
        CounterSnapshot counter = table.toCounter("t_bytes", "Test.");

        assertThat(sum(counter, "ingress")).as("budget " + budget).isEqualTo(5 + 11 + 13 + 17);
        assertThat(sum(counter, "egress")).as("budget " + budget).isEqualTo(7 + 19 + 23);
        assertThat(table.size()).isLessThanOrEqualTo(Math.max(budget, 2));
      }
    }

    private double sum(CounterSnapshot counter, String direction) {
      return counter.getDataPoints().stream()
          .filter(p -> p.getLabels().get("direction").equals(direction))
          .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
          .sum();
    }

    @Test
    void foldsNamedPeersByHostgroupOnlyWhenFoldingTheUnnamedIsNotEnough() throws Exception {
      Inventory inventory =
          TestInventory.of(
              Map.of(
                  "198.18.0.2", new Host("db1.example", "db"),
                  "198.18.0.5", new Host("db2.example", "db")));

      String text = text(fold(PAGE, inventory, 4));

      assertThat(text)
          .contains(
              """
              t_bytes_total{direction="egress",local_domain="198.18.0.1",local_hostgroup="198.18.0.1",\
              remote_domain="",remote_hostgroup="",remote_ip="other"} 23.0
              t_bytes_total{direction="egress",local_domain="198.18.0.1",local_hostgroup="198.18.0.1",\
              remote_domain="",remote_hostgroup="db",remote_ip="other"} 26.0
              t_bytes_total{direction="ingress",local_domain="198.18.0.1",local_hostgroup="198.18.0.1",\
              remote_domain="",remote_hostgroup="",remote_ip="other"} 24.0
              t_bytes_total{direction="ingress",local_domain="198.18.0.1",local_hostgroup="198.18.0.1",\
              remote_domain="",remote_hostgroup="db",remote_ip="other"} 22.0
              """);
      assertThat(fold(PAGE, inventory, 6).toCounter("t_bytes", "Test.").getDataPoints())
          .anyMatch(p -> p.getLabels().get("remote_ip").equals("198.18.0.2"))
          .anyMatch(p -> p.getLabels().get("remote_ip").equals("198.18.0.5"));
    }
  }

  @Nested
  class LabelSetsFromRunToRun {

    private final SeriesLabels seriesLabels = new SeriesLabels();

    /** One run's counter: each series' label set by "remote_ip direction". */
    private Map<String, Object> run(String page, Inventory inventory, long budget)
        throws Exception {
      PeerTraffic.Builder traffic = PeerTraffic.builder(HOST, inventory);
      read(new ByteArrayInputStream(page.getBytes(UTF_8)), traffic);
      PeerTraffic table =
          traffic.build(
              new PeerFolding<IpAddress>(Comparator.naturalOrder()).start(Instant.EPOCH), budget);
      CounterSnapshot counter = table.toCounter("t_bytes", "Test.", seriesLabels);
      // The reused sets make the same text as new ones.
      assertThat(TaskRun.render(MetricSnapshots.of(counter)))
          .isEqualTo(TaskRun.render(MetricSnapshots.of(table.toCounter("t_bytes", "Test."))));
      Map<String, Object> sets = new java.util.HashMap<>();
      counter
          .getDataPoints()
          .forEach(
              p ->
                  sets.put(
                      p.getLabels().get("remote_ip") + " " + p.getLabels().get("direction"),
                      p.getLabels()));
      return sets;
    }

    @Test
    void reusesTheSetsOfTheRunBefore() throws Exception {
      Map<String, Object> first = run(Folding.PAGE, Inventory.empty(), 6);
      Map<String, Object> second = run(Folding.PAGE, Inventory.empty(), 6);

      assertThat(second).hasSize(6).containsKey("other ingress").containsOnlyKeys(first.keySet());
      second.forEach((series, set) -> assertThat(set).as(series).isSameAs(first.get(series)));
    }

    @Test
    void makesNewSetsForWhatTheInventoryNowNames() throws Exception {
      Map<String, Object> first = run(Folding.PAGE, Inventory.empty(), 100);
      Inventory inventory = TestInventory.of(Map.of("198.18.0.2", new Host("db1.example", "db")));
      Map<String, Object> second = run(Folding.PAGE, inventory, 100);

      assertThat(second.get("198.18.0.2 ingress"))
          .isNotSameAs(first.get("198.18.0.2 ingress"))
          .hasToString(
              "{direction=\"ingress\",local_domain=\"198.18.0.1\",local_hostgroup=\"198.18.0.1\","
                  + "remote_domain=\"db1.example\",remote_hostgroup=\"db\",remote_ip=\"198.18.0.2\"}");
      assertThat(second.get("198.18.0.3 ingress")).isSameAs(first.get("198.18.0.3 ingress"));
    }

    @Test
    void keepsOnlyTheSetsOfTheLastRun() throws Exception {
      Map<String, Object> first = run(Folding.PAGE, Inventory.empty(), 100);
      run("b{peer=\"198.18.0.3\",dir=\"in\"} 11\n", Inventory.empty(), 100);
      Map<String, Object> third = run(Folding.PAGE, Inventory.empty(), 100);

      assertThat(third.get("198.18.0.3 ingress")).isSameAs(first.get("198.18.0.3 ingress"));
      assertThat(third.get("198.18.0.2 ingress"))
          .isNotSameAs(first.get("198.18.0.2 ingress"))
          .isEqualTo(first.get("198.18.0.2 ingress"));
    }
  }

  @Nested
  class Peers {

    @ParameterizedTest
    @ValueSource(
        strings = {
          "198.18.0.1", // the primary IP
          "::ffff:198.18.0.1", // the primary IP, IPv4-mapped
          "fd42::1", // another own address
          "::ffff:127.0.0.1",
          "127.0.0.1",
          "127.0.0.53", // loopback, though not listed as an own address
          "::1",
          "0.0.0.0",
          "::",
          "224.0.0.251",
          "ff02::16",
          "255.255.255.255"
        })
    void skipsOwnUnspecifiedLoopbackMulticastAndBroadcastAddresses(String ip) throws Exception {
      assertThat(table("b{peer=\"" + ip + "\",dir=\"in\"} 5\n", Inventory.empty()))
          .doesNotContain("t_bytes_total{");
    }

    @ParameterizedTest
    @ValueSource(strings = {"198.18.0.2", "fe80::f0bd:78ff:fed8:d915", "198.18.0.255", "fd00::1"})
    void keepsOtherUnicastPeersIncludingLinkLocal(String ip) throws Exception {
      assertThat(table("b{peer=\"" + ip + "\",dir=\"in\"} 5\n", Inventory.empty()))
          .contains("remote_ip=\"" + ip + "\"} 5.0");
    }
  }

  @Nested
  class Errors {

    @Test
    void rejectsAMissingPeerLabelNamingTheLine() {
      assertThatThrownBy(() -> table("\nb{dir=\"in\"} 5\n", Inventory.empty()))
          .isInstanceOf(TextFormatException.class)
          .hasMessage("line 2: b has no label peer");
    }

    @Test
    void rejectsAPeerThatIsNotAnIpAddressWithoutLookingItUp() {
      assertThatThrownBy(() -> table("b{peer=\"localhost\",dir=\"in\"} 5\n", Inventory.empty()))
          .isInstanceOf(TextFormatException.class)
          .hasMessage("line 1: label peer of b is not an IP address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "NaN", "+Inf"})
    void rejectsValuesThatAreNotByteCounts(String value) {
      assertThatThrownBy(
              () -> table("b{peer=\"198.18.0.2\",dir=\"in\"} " + value + "\n", Inventory.empty()))
          .isInstanceOf(TextFormatException.class)
          .hasMessageStartingWith("line 1: b has value ")
          .hasMessageEndingWith(", not a byte count");
    }
  }
}
