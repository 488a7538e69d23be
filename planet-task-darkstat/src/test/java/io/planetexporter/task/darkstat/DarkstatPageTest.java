package io.planetexporter.task.darkstat;

import static io.planetexporter.api.testing.TestSnapshots.counterValues;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.Host;
import io.planetexporter.api.HostIdentity;
import io.planetexporter.api.Inventory;
import io.planetexporter.api.testing.TestInventory;
import io.planetexporter.api.testing.TestTaskContext;
import io.planetexporter.textformat.TextFormatException;
import io.planetexporter.traffic.PeerTraffic;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The rules of reading darkstat's page; the captures themselves are served in DarkstatTaskTest. */
class DarkstatPageTest {

  /** darkstat ran on 198.18.0.1 (and fd42::1, va's link-local in the IPv6 phase). */
  static final HostIdentity LOCAL =
      host("198.18.0.1", "198.18.0.1", "fd42::1", "fe80::e40e:83ff:feb9:865a", "127.0.0.1", "::1");

  static HostIdentity host(String primary, String... addresses) {
    return TestTaskContext.host("pe-a", primary, addresses);
  }

  static byte[] fixture(String name) throws IOException {
    try (InputStream in = DarkstatPageTest.class.getResourceAsStream("DarkstatPageTest/" + name)) {
      return in.readAllBytes();
    }
  }

  private static MetricSnapshots read(byte[] page, HostIdentity host, Inventory inventory)
      throws IOException, TextFormatException {
    PeerTraffic.Builder traffic = PeerTraffic.builder(host, inventory);
    DarkstatPage.read(new ByteArrayInputStream(page), traffic);
    return MetricSnapshots.of(
        traffic.build().toCounter(DarkstatTaskProvider.METRIC, DarkstatTaskProvider.HELP));
  }

  @Nested
  class Labels {

    @Test
    void namesMappedPeersAndTheLocalHostFromTheInventory() throws Exception {
      Inventory inventory =
          TestInventory.of(
              Map.of(
                  "198.18.0.1", new Host("pe-a.example", "planet"),
                  "198.18.0.2", new Host("db.example", "db")));
      assertThat(
              counterValues(
                  read(fixture("metrics-ipv4.txt"), LOCAL, inventory),
                  "local_hostgroup",
                  "local_domain",
                  "direction",
                  "remote_ip",
                  "remote_hostgroup",
                  "remote_domain"))
          .containsEntry("planet pe-a.example ingress 198.18.0.2 db db.example", 1001516.0)
          .containsEntry("planet pe-a.example egress 198.18.0.3  ", 250736.0)
          .hasSize(8);
    }

    @Test
    void labelsTheLocalSideWithThePrimaryIpWhenTheInventoryDoesNotKnowIt() throws Exception {
      assertThat(
              counterValues(
                  read(fixture("metrics-ipv4.txt"), LOCAL, Inventory.empty()),
                  "local_hostgroup",
                  "local_domain",
                  "remote_ip",
                  "direction"))
          .containsEntry("198.18.0.1 198.18.0.1 198.18.0.2 ingress", 1001516.0);
    }

    @Test
    void skipsTheLocalHostByItsPrimaryIpAlone() throws Exception {
      assertThat(
              counterValues(
                  read(fixture("metrics-ipv4.txt"), host("198.18.0.1"), Inventory.empty()),
                  "remote_ip",
                  "direction"))
          .hasSize(8)
          .doesNotContainKeys("198.18.0.1 ingress", "198.18.0.1 egress");
    }
  }

  @Nested
  class Rules {

    @Test
    void sumsSeriesOfTheSameHostSeenOnSeveralInterfaces() throws Exception {
      String page =
          """
          # TYPE host_bytes_total counter
          host_bytes_total{interface="eth0",ip="198.18.0.2",mac="02:00:00:00:00:01",dir="out"} 100
          host_bytes_total{interface="eth1",ip="198.18.0.2",mac="02:00:00:00:00:02",dir="out"} 23
          host_bytes_total{dir="in",ip="198.18.0.2",interface="eth1"} 7
          """;
      assertThat(
              counterValues(
                  read(page.getBytes(UTF_8), LOCAL, Inventory.empty()), "remote_ip", "direction"))
          .containsExactly(entry("198.18.0.2 egress", 7.0), entry("198.18.0.2 ingress", 123.0));
    }

    @Test
    void ignoresOtherFamilies() throws Exception {
      String page =
          """
          # TYPE host_bytes_total counter
          host_packets_total{ip="198.18.0.2",dir="out"} 100
          """;
      assertThat(counterValues(read(page.getBytes(UTF_8), LOCAL, Inventory.empty()))).isEmpty();
    }

    @Test
    void rejectsAPageThatIsNotDarkstats() {
      assertThatThrownBy(
              () ->
                  read(
                      "# TYPE node_load1 gauge\nnode_load1 0.5\n".getBytes(UTF_8),
                      LOCAL,
                      Inventory.empty()))
          .isInstanceOf(TextFormatException.class)
          .hasMessage("line 1: no host_bytes_total on the page; is it darkstat's /metrics?");
    }

    @Test
    void rejectsAnUnknownDirection() {
      assertThatThrownBy(
              () ->
                  read(
                      "host_bytes_total{ip=\"198.18.0.2\",dir=\"both\"} 1\n".getBytes(UTF_8),
                      LOCAL,
                      Inventory.empty()))
          .isInstanceOf(TextFormatException.class)
          .hasMessage("line 1: host_bytes_total has dir=\"both\", want \"in\" or \"out\"");
    }

    @Test
    void rejectsAMissingIp() {
      assertThatThrownBy(
              () ->
                  read(
                      "host_bytes_total{dir=\"in\"} 1\n".getBytes(UTF_8), LOCAL, Inventory.empty()))
          .isInstanceOf(TextFormatException.class)
          .hasMessage("line 1: host_bytes_total has no label ip");
    }
  }
}
