package io.planetexporter.dist;

import static io.planetexporter.dist.SocketHelpers.deleteTree;
import static io.planetexporter.dist.SocketHelpers.ip;
import static io.planetexporter.dist.SocketHelpers.isRoot;
import static io.planetexporter.dist.SocketHelpers.joinedNamespaces;
import static io.planetexporter.dist.SocketHelpers.runQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.planetexporter.task.socketstat.LoopbackSockets;
import io.planetexporter.testfixtures.ExporterProcess;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The exporter inside a network namespace ("host") joined by a veth pair to another ("peer"), with
 * servers and clients on both sides run as processes named {@code pe-app} (host) and {@code
 * pe-peer}, and an inventory naming the peers by exact IP and nested CIDRs. A second veth pair
 * joins the host namespace to the root one, where this test and a real Prometheus server scrape the
 * exporter. Addresses: 198.18.0.0/15 and fd00::/8 only; both namespaces (and so the veth pairs) are
 * removed afterwards, even on failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SocketstatNetnsIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Pattern PRIMARY_IP = Pattern.compile("primary_ip=\"?([0-9a-f.:]+)");

  private Path temp;

  private final String suffix = String.format("%06x", new Random().nextInt(1 << 24));
  private final int subnet = 1 + new Random().nextInt(250);
  private final String hostNs = "pe-h-" + suffix;
  private final String peerNs = "pe-p-" + suffix;

  /** The link between the namespaces. */
  private final String hostIp = "198.18." + subnet + ".1";

  private final String peerIp = "198.18." + subnet + ".2";
  private final String hostIp6 = "fd00:" + Integer.toHexString(subnet) + "::1";
  private final String peerIp6 = "fd00:" + Integer.toHexString(subnet) + "::2";

  /** The link from the root namespace to the host namespace. */
  private final String rootSideIp = "198.19." + subnet + ".1";

  private final String exporterIp = "198.19." + subnet + ".2";
  private SocketHelpers helpers;
  private boolean namespacesCreated;

  /** The container and unit of this JVM's processes, and so of the helpers and the exporter. */
  private List<String> workload;

  @BeforeAll
  void createNamespacesAndSockets() throws Exception {
    assumeTrue(isRoot(), "needs root for network namespaces");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")), "needs iproute2's ip");
    workload = LoopbackSockets.ownWorkload();
    temp = Files.createTempDirectory("planet-netns-");
    helpers = new SocketHelpers(temp);
    namespacesCreated = true;
    String hostEnd = "peh" + suffix;
    String peerEnd = "pep" + suffix;
    joinedNamespaces(hostNs, hostEnd, peerNs, peerEnd);
    configure(hostNs, hostEnd, hostIp, hostIp6);
    configure(peerNs, peerEnd, peerIp, peerIp6);
    String rootEnd = "per" + suffix;
    String exporterEnd = "pex" + suffix;
    ip("link", "add", rootEnd, "type", "veth", "peer", "name", exporterEnd);
    ip("link", "set", exporterEnd, "netns", hostNs);
    ip("addr", "add", rootSideIp + "/24", "dev", rootEnd);
    ip("link", "set", rootEnd, "up");
    ip("-n", hostNs, "addr", "add", exporterIp + "/24", "dev", exporterEnd);
    ip("-n", hostNs, "link", "set", exporterEnd, "up");

    Process peer = helper(peerNs, "pe-peer");
    Process app = helper(hostNs, "pe-app");
    command(peer, "listen tcp :: 5432");
    command(peer, "listen udp 0.0.0.0 1053");
    command(app, "listen tcp 0.0.0.0 8080");
    command(app, "listen tcp :: 8443");
    command(app, "listen udp 0.0.0.0 1053");
    command(app, "connect tcp " + peerIp + " 5432");
    command(app, "connect tcp " + peerIp6 + " 5432");
    command(app, "connect udp " + peerIp + " 1053");
    command(peer, "connect tcp " + hostIp + " 8080");
    command(peer, "connect tcp " + hostIp6 + " 8443");
    command(peer, "connect tcp " + hostIp + " 8443");

    // Exact IPs, and CIDRs nested in each other: /15 > /24 in IPv4, /8 > /64 in IPv6.
    Files.writeString(
        temp.resolve("inventory.json"),
        """
        [
          {"ip_address": "%s", "domain": "db.peer.test", "hostgroup": "db"},
          {"ip_address": "%s", "domain": "v6db.peer.test", "hostgroup": "db"},
          {"ip_address": "198.18.%d.0/24", "domain": "", "hostgroup": "link"},
          {"ip_address": "198.18.0.0/15", "domain": "", "hostgroup": "lab"},
          {"ip_address": "fd00:%s::/64", "domain": "", "hostgroup": "ula-link"},
          {"ip_address": "fd00::/8", "domain": "", "hostgroup": "ula"}
        ]
        """
            .formatted(peerIp, peerIp6, subnet, Integer.toHexString(subnet)));
  }

  @AfterAll
  void removeNamespaces() throws Exception {
    if (helpers != null) {
      helpers.stopAll();
    }
    if (namespacesCreated) {
      // Deleting a namespace deletes its veth ends, and with them their peers.
      runQuietly("ip", "netns", "del", hostNs);
      runQuietly("ip", "netns", "del", peerNs);
      runQuietly("ip", "link", "del", "per" + suffix);
    }
    if (temp != null) {
      deleteTree(temp);
    }
  }

  @Test
  void servesExactSeriesWithInventoryNamesAndPrometheusStoresThem() throws Exception {
    ip("-n", hostNs, "route", "replace", "default", "via", peerIp);
    try (ExporterProcess exporter = startExporter()) {
      assertThat(primaryIp(exporter)).isEqualTo(hostIp);
      String expected = expectedSeries("link");

      assertThat(awaitSeries(exporter, expected)).isEqualTo(expected);

      try (PrometheusServer prometheus = PrometheusServer.start(exporter.target())) {
        prometheus.awaitTargetsUp(PATIENCE);
        String stored = "";
        Instant deadline = Instant.now().plus(PATIENCE);
        String wanted = upstreams(expected);
        while (!stored.equals(wanted) && Instant.now().isBefore(deadline)) {
          stored =
              sorted(
                  asSeriesLines(prometheus.awaitResult("planet_upstream", PATIENCE)).stream()
                      .filter(l -> !isOwnTraffic(l))
                      .toList());
          Thread.sleep(500);
        }
        assertThat(stored).isEqualTo(wanted);
      }
    }
  }

  @Test
  void servesTheCompleteSeriesWithoutADefaultRoute() throws Exception {
    runQuietly("ip", "-n", hostNs, "route", "del", "default");
    try (ExporterProcess exporter = startExporter()) {
      // Without a default route the primary IP is the first address of an up interface.
      String primary = primaryIp(exporter);
      assertThat(primary).isIn(hostIp, exporterIp);
      String expected = expectedSeries(primary.equals(hostIp) ? "link" : "lab");

      assertThat(awaitSeries(exporter, expected)).isEqualTo(expected);
    }
  }

  private ExporterProcess startExporter() {
    return ExporterProcess.builder()
        .prefix("ip", "netns", "exec", hostNs)
        .args(
            "-listen-address",
            exporterIp + ":0",
            // This test is about one namespace seen from inside; every other namespace of the
            // machine (its root one included) is SocketstatWorkloadsIT's concern.
            "-task-socketstat-namespaces",
            "own",
            "-task-socketstat-interval",
            "1s",
            "-task-inventory-enabled",
            "-task-inventory-addr",
            temp.resolve("inventory.json").toString(),
            "-task-inventory-format",
            "arrayjson")
        .start();
  }

  private static String primaryIp(ExporterProcess exporter) {
    Matcher matcher = PRIMARY_IP.matcher(exporter.stderr());
    assertThat(matcher.find())
        .as("primary_ip in the exporter's log:\n" + exporter.stderr())
        .isTrue();
    return matcher.group(1);
  }

  /**
   * The planet_upstream, planet_downstream and planet_server_process series of pe-app in the host
   * namespace: all of them but those of the exporter's own HTTP traffic (see {@link #ownSeries}).
   * Java binds 0.0.0.0 as a dual-stack {@code ::} socket, hence the IPv6 binds.
   *
   * @param primaryHostgroup the hostgroup of the primary IP, which wildcard binds stand for
   */
  private String expectedSeries(String primaryHostgroup) {
    return sorted(
        List.of(
            server("[::]:8080", primaryHostgroup, 8080, "pe-app", "tcp"),
            server("[::]:8443", primaryHostgroup, 8443, "pe-app", "tcp"),
            server("[::]:1053", primaryHostgroup, 1053, "pe-app", "udp"),
            peer("planet_downstream", hostIp, "link", 8080, "pe-app", "tcp", "db.peer.test", "db"),
            peer("planet_downstream", hostIp, "link", 8443, "pe-app", "tcp", "db.peer.test", "db"),
            peer(
                "planet_downstream",
                hostIp6,
                "ula-link",
                8443,
                "pe-app",
                "tcp",
                "v6db.peer.test",
                "db"),
            peer("planet_upstream", hostIp, "link", 5432, "pe-app", "tcp", "db.peer.test", "db"),
            peer(
                "planet_upstream",
                hostIp6,
                "ula-link",
                5432,
                "pe-app",
                "tcp",
                "v6db.peer.test",
                "db"),
            peer("planet_upstream", hostIp, "link", 1053, "pe-app", "udp", "db.peer.test", "db")));
  }

  /**
   * The exporter's listener and the scrapes it answers from the root namespace. The scrape
   * connections of an exporter stopped before (its TIME_WAIT sockets, now without a listener) are
   * upstreams to the root side's ports and are not compared.
   */
  private String ownSeries(ExporterProcess exporter) {
    int port = exporter.port();
    return sorted(
        List.of(
            server(exporterIp + ":" + port, "lab", port, "java", "tcp"),
            peer("planet_downstream", exporterIp, "lab", port, "java", "tcp", rootSideIp, "lab")));
  }

  private boolean isOwnTraffic(String line) {
    return line.contains("bind=\"" + exporterIp + ":")
        || line.contains("remote_address=\"" + rootSideIp + "\"");
  }

  private String server(String bind, String hostgroup, int port, String process, String protocol) {
    return ("planet_server_process{bind=\"%s\",container=\"%s\",local_hostgroup=\"%s\","
            + "port=\"%d\",process_name=\"%s\",protocol=\"%s\",unit=\"%s\",workload=\"\"} 1.0")
        .formatted(bind, workload.get(0), hostgroup, port, process, protocol, workload.get(1));
  }

  private String peer(
      String metric,
      String localAddress,
      String localHostgroup,
      int port,
      String process,
      String protocol,
      String remoteAddress,
      String remoteHostgroup) {
    return seriesLine(
        metric,
        workload.get(0),
        localAddress,
        localHostgroup,
        port,
        process,
        protocol,
        remoteAddress,
        remoteHostgroup,
        workload.get(1));
  }

  private static String seriesLine(
      String metric,
      String container,
      String localAddress,
      String localHostgroup,
      int port,
      String process,
      String protocol,
      String remoteAddress,
      String remoteHostgroup,
      String unit) {
    return ("%s{container=\"%s\",local_address=\"%s\",local_hostgroup=\"%s\",port=\"%d\","
            + "process_name=\"%s\",protocol=\"%s\",remote_address=\"%s\",remote_hostgroup=\"%s\","
            + "unit=\"%s\",workload=\"\"} 1.0")
        .formatted(
            metric,
            container,
            localAddress,
            localHostgroup,
            port,
            process,
            protocol,
            remoteAddress,
            remoteHostgroup,
            unit);
  }

  /**
   * Scrapes until the three metrics' series other than the exporter's own traffic are {@code
   * expected} and the current exporter's own series are there, or patience runs out.
   */
  private String awaitSeries(ExporterProcess exporter, String expected)
      throws InterruptedException {
    String own = ownSeries(exporter);
    String actual = "";
    Instant deadline = Instant.now().plus(PATIENCE);
    while (Instant.now().isBefore(deadline)) {
      String text = exporter.scrape();
      List<String> lines =
          text.lines()
              .filter(
                  l ->
                      l.startsWith("planet_upstream{")
                          || l.startsWith("planet_downstream{")
                          || l.startsWith("planet_server_process{"))
              .toList();
      actual = sorted(lines.stream().filter(l -> !isOwnTraffic(l)).toList());
      if (actual.equals(expected) && own.lines().allMatch(lines::contains)) {
        assertThat(Promtool.checkMetrics(text)).isEmpty();
        return actual;
      }
      Thread.sleep(300);
    }
    return actual + "(or not all of:\n" + own + ")";
  }

  private static String upstreams(String series) {
    return sorted(series.lines().filter(l -> l.startsWith("planet_upstream{")).toList());
  }

  /** Prometheus's answer written as exposition lines, without the job and instance labels. */
  private static List<String> asSeriesLines(JsonNode result) {
    List<String> lines = new ArrayList<>();
    for (JsonNode series : result) {
      JsonNode m = series.path("metric");
      lines.add(
          seriesLine(
              m.path("__name__").asText(),
              m.path("container").asText(),
              m.path("local_address").asText(),
              m.path("local_hostgroup").asText(),
              Integer.parseInt(m.path("port").asText()),
              m.path("process_name").asText(),
              m.path("protocol").asText(),
              m.path("remote_address").asText(),
              m.path("remote_hostgroup").asText(),
              m.path("unit").asText()));
    }
    return lines;
  }

  private static String sorted(List<String> lines) {
    return lines.stream().sorted().collect(Collectors.joining("\n")) + "\n";
  }

  private void configure(String ns, String device, String ipv4, String ipv6) throws Exception {
    ip("-n", ns, "link", "set", "lo", "up");
    ip("-n", ns, "addr", "add", ipv4 + "/24", "dev", device);
    ip("-n", ns, "-6", "addr", "add", ipv6 + "/64", "dev", device, "nodad");
    ip("-n", ns, "link", "set", device, "up");
  }

  private Process helper(String ns, String name) throws IOException, URISyntaxException {
    return helpers.start(List.of("ip", "netns", "exec", ns), name);
  }

  private void command(Process helper, String line) throws IOException {
    assertThat(helpers.command(helper, line)).as(line).isEqualTo("ok");
  }
}
