package io.planetexporter.task.support;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.Host;
import io.planetexporter.api.HostIdentity;
import io.planetexporter.api.Inventory;
import io.planetexporter.api.testing.TaskRun;
import io.planetexporter.api.testing.TestInventory;
import io.planetexporter.api.testing.TestTaskContext;
import io.planetexporter.task.support.PeerTraffic.Direction;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
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
  static void read(byte[] page, PeerTraffic.Builder traffic) throws TextFormatException {
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
  private static String table(String page, Inventory inventory) throws TextFormatException {
    PeerTraffic.Builder traffic = PeerTraffic.builder(HOST, inventory);
    read(page.getBytes(UTF_8), traffic);
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
  class Peers {

    @ParameterizedTest
    @ValueSource(
        strings = {
          "198.18.0.1", // the primary IP
          "fd42::1", // another own address
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
