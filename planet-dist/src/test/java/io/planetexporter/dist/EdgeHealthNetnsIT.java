package io.planetexporter.dist;

import static io.planetexporter.dist.SocketHelpers.deleteTree;
import static io.planetexporter.dist.SocketHelpers.isRoot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.planetexporter.testfixtures.ExporterProcess;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Edge health between two network namespaces joined by a veth pair (198.18.0.0/15), with an
 * exporter from the tarball in each, reading netlink. The server's namespace has a firewall of its
 * own: SYNs to one port are dropped, and every twentieth packet to another (not at random: the
 * veth's offloads merge 8 MB into fewer than 200 packets, and a 5 percent chance let all through
 * once). From the client's namespace, curl connects N times to a port nothing listens on and M
 * times to the dropped port, giving up after half a second (curl, not Java: the JDK ends a failed
 * connect with {@code shutdown}, which wipes the socket's port and counters before the kernel
 * announces it); a Java helper holds connections to a clean port, sends 8 MB through the lossy one,
 * and fills the backlog of a listener that never accepts. Namespaces, firewall and processes are
 * removed afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeHealthNetnsIT {

  private static final int REFUSED = 5;
  private static final int TIMEOUTS = 3;
  private static final int BACKLOG = 2;
  private static final int LOSSY_BYTES = 8_000_000;
  private static final Duration PATIENCE = Duration.ofSeconds(40);

  /** The RTT tolerance against ss: both read the same kernel field, which moves only with data. */
  private static final double RTT_TOLERANCE = 0.05;

  private static final double RTT_SLACK_SECONDS = 5e-6;

  private final Random random = new Random();
  private final int base = 20_000 + 10 * random.nextInt(1_000);
  private final int refusedPort = base;
  private final int droppedPort = base + 1;
  private final int cleanPort = base + 2;
  private final int lossyPort = base + 3;
  private final int backlogPort = base + 4;
  private SocketHelpers helpers;
  private Path temp;
  private ClientServerNamespaces namespaces;

  @BeforeAll
  void createNamespaces() throws Exception {
    assumeTrue(isRoot(), "needs root for network namespaces, iptables and the destroy events");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")), "needs iproute2's ip");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/iptables")), "needs iptables");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "needs curl");
    temp = Files.createTempDirectory("planet-health-");
    helpers = new SocketHelpers(temp);
    namespaces = ClientServerNamespaces.create("h");
    iptables("-A", "INPUT", "-p", "tcp", "--dport", "" + droppedPort, "-j", "DROP");
    iptables(
        "-A",
        "INPUT",
        "-p",
        "tcp",
        "--dport",
        "" + lossyPort,
        "-m",
        "statistic",
        "--mode",
        "nth",
        "--every",
        "20",
        "--packet",
        "0",
        "-j",
        "DROP");
  }

  @AfterAll
  void removeNamespaces() throws Exception {
    if (helpers != null) {
      helpers.stopAll();
    }
    if (namespaces != null) {
      namespaces.close();
    }
    if (temp != null) {
      deleteTree(temp);
    }
  }

  @Test
  void countsFailuresExactlyAndAgreesWithSsOnRetransmissionsRttAndTheAcceptQueue()
      throws Exception {
    Process server = helper(namespaces.serverNs(), "pe-server");
    command(server, "serve " + namespaces.serverIp() + " " + cleanPort + " 1000 1000");
    command(server, "serve " + namespaces.serverIp() + " " + lossyPort + " " + LOSSY_BYTES + " 1");
    command(server, "backlog " + namespaces.serverIp() + " " + backlogPort + " " + BACKLOG + " 0");
    try (ExporterProcess clientExporter = exporter(namespaces.clientNs());
        ExporterProcess serverExporter = exporter(namespaces.serverNs())) {
      awaitScrape(
          namespaces.clientNs(), clientExporter, t -> t.contains("mode=\"destroy_events\"} 1"));
      awaitScrape(
          namespaces.serverNs(), serverExporter, t -> t.contains("mode=\"destroy_events\"} 1"));

      for (int i = 0; i < REFUSED; i++) {
        curl(refusedPort, "2");
      }
      for (int i = 0; i < TIMEOUTS; i++) {
        curl(droppedPort, "0.5");
      }
      Process client = helper(namespaces.clientNs(), "pe-client");
      for (int i = 0; i < 3; i++) {
        command(client, "hold " + namespaces.serverIp() + " " + cleanPort + " 1000 1000");
      }
      command(client, "hold " + namespaces.serverIp() + " " + lossyPort + " " + LOSSY_BYTES + " 1");
      for (int i = 0; i <= BACKLOG; i++) { // the kernel queues one past the backlog
        command(client, "hold " + namespaces.serverIp() + " " + backlogPort + " 0 0");
      }

      String text =
          awaitScrape(
              namespaces.clientNs(),
              clientExporter,
              t ->
                  failures(t, refusedPort, "refused") >= REFUSED
                      && failures(t, droppedPort, "timeout") >= TIMEOUTS
                      && !series(t, "planet_upstream_rtt_seconds", cleanPort).isEmpty());
      assertThat(failures(text, refusedPort, "refused")).isEqualTo(REFUSED);
      assertThat(failures(text, refusedPort, "timeout") + failures(text, refusedPort, "other"))
          .isZero();
      assertThat(failures(text, droppedPort, "timeout")).isEqualTo(TIMEOUTS);
      assertThat(failures(text, droppedPort, "refused") + failures(text, droppedPort, "other"))
          .isZero();
      for (int port : new int[] {cleanPort, lossyPort, backlogPort}) {
        assertThat(series(text, "planet_upstream_connect_failures_total", port))
            .as("connections that were established")
            .isEmpty();
      }
      // A failed connect is known from its destroy event alone, which names no process.
      assertThat(series(text, "planet_upstream_connect_failures_total", refusedPort))
          .allMatch(l -> l.contains("process_name=\"\""))
          .allMatch(l -> l.contains("remote_address=\"" + namespaces.serverIp() + "\""));

      // Retransmissions and RTT as ss sees them in the same namespace. The connections are idle:
      // the lossy one's transfer ended when the server's answer came (with the ack of every byte),
      // so its bytes_retrans no longer moves, and the first collection after that shows it.
      String ss = ss(namespaces.clientNs(), "dst", namespaces.serverIp() + ":" + lossyPort);
      long retransmitted = sumOf(ss, "bytes_retrans");
      text =
          awaitScrape(
              namespaces.clientNs(),
              clientExporter,
              t -> sum(t, "planet_upstream_retransmitted_bytes_total", lossyPort) >= retransmitted);
      assertThat(Promtool.checkMetrics(text)).as("promtool check metrics").isEmpty();
      assertThat(retransmitted)
          .as("bytes_retrans with every twentieth packet dropped:\n%s\n%s", ss, firewall())
          .isPositive();
      assertThat(sum(text, "planet_upstream_retransmitted_bytes_total", lossyPort))
          .isEqualTo(retransmitted);
      assertThat(sum(text, "planet_upstream_retransmitted_bytes_total", cleanPort)).isZero();
      String cleanSs = ss(namespaces.clientNs(), "dst", namespaces.serverIp() + ":" + cleanPort);
      double ssRtt = meanRttSeconds(cleanSs);
      assertThat(sum(text, "planet_upstream_rtt_seconds", cleanPort))
          .isCloseTo(ssRtt, within(ssRtt * RTT_TOLERANCE + RTT_SLACK_SECONDS));

      // The listener that never accepts, seen from its own namespace.
      String serverText =
          awaitScrape(
              namespaces.serverNs(),
              serverExporter,
              t -> sum(t, "planet_server_accept_queue", backlogPort) > BACKLOG);
      assertThat(sum(serverText, "planet_server_accept_queue_limit", backlogPort))
          .isEqualTo(BACKLOG);
      assertThat(sum(serverText, "planet_server_accept_queue", backlogPort)).isEqualTo(BACKLOG + 1);
      String listenerSs =
          Command.ok(
              temp,
              "ip",
              "netns",
              "exec",
              namespaces.serverNs(),
              "ss",
              "-ltnH",
              "sport",
              "= :" + backlogPort);
      assertThat(listenerSs.trim().split("\\s+")).startsWith("LISTEN", "" + (BACKLOG + 1));
      assertThat(sum(serverText, "planet_server_accept_queue", cleanPort)).isZero();
      assertThat(series(serverText, "planet_server_accept_queue_limit", cleanPort))
          .singleElement()
          .satisfies(l -> assertThat(value(l)).isEqualTo(100)); // ByteExchangeHelper's backlog
    }
  }

  private String iptables(String... rule) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("ip", "netns", "exec", namespaces.serverNs(), "iptables"));
    command.addAll(List.of(rule));
    return Command.ok(temp, command.toArray(String[]::new));
  }

  /** The server's firewall with each rule's packet count, to show what was dropped. */
  private String firewall() throws Exception {
    return iptables("-nvxL", "INPUT");
  }

  /** curl from the client's namespace to the server's port, giving up after {@code seconds}. */
  private void curl(int port, String seconds) {
    Command.Result result =
        Command.run(
            temp,
            "ip",
            "netns",
            "exec",
            namespaces.clientNs(),
            "curl",
            "-s",
            "--connect-timeout",
            seconds,
            "http://" + namespaces.serverIp() + ":" + port + "/");
    assertThat(result.exitCode()).as("curl to port " + port + " fails").isNotZero();
  }

  private String ss(String ns, String... filter) {
    List<String> command =
        new ArrayList<>(List.of("ip", "netns", "exec", ns, "ss", "-tinH", "state", "established"));
    command.addAll(List.of(filter));
    return Command.ok(temp, command.toArray(String[]::new));
  }

  private ExporterProcess exporter(String ns) {
    return ExporterProcess.builder()
        .prefix("ip", "netns", "exec", ns)
        .args(
            "-task-socketstat-interval",
            "1s",
            "-task-socketstat-source",
            "netlink",
            "-task-socketstat-namespaces",
            "own")
        .start();
  }

  private static String scrape(String ns, ExporterProcess exporter) {
    return SocketHelpers.getIn(ns, exporter, "/metrics");
  }

  private static String awaitScrape(String ns, ExporterProcess exporter, Predicate<String> done)
      throws InterruptedException {
    return SocketHelpers.awaitScrapeIn(ns, exporter, done, PATIENCE);
  }

  /** The series of {@code metric} for a port. */
  private static List<String> series(String text, String metric, int port) {
    return text.lines()
        .filter(l -> l.startsWith(metric + "{") && l.contains("port=\"" + port + "\""))
        .toList();
  }

  private static double value(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  private static double sum(String text, String metric, int port) {
    return series(text, metric, port).stream().mapToDouble(EdgeHealthNetnsIT::value).sum();
  }

  private static long failures(String text, int port, String reason) {
    return Math.round(
        series(text, "planet_upstream_connect_failures_total", port).stream()
            .filter(l -> l.contains("reason=\"" + reason + "\""))
            .mapToDouble(EdgeHealthNetnsIT::value)
            .sum());
  }

  /** A counter of {@code ss -i}, added up over its connections. */
  private static long sumOf(String ss, String name) {
    Matcher matcher = Pattern.compile("\\b" + name + ":(\\d+)").matcher(ss);
    long sum = 0;
    while (matcher.find()) {
      sum += Long.parseLong(matcher.group(1));
    }
    return sum;
  }

  /** The mean of {@code rtt:<ms>/<var>} over the connections {@code ss -i} lists, in seconds. */
  private static double meanRttSeconds(String ss) {
    Matcher matcher = Pattern.compile("\\brtt:([0-9.]+)/").matcher(ss);
    double sum = 0;
    int count = 0;
    while (matcher.find()) {
      sum += Double.parseDouble(matcher.group(1)) / 1000;
      count++;
    }
    assertThat(count).as("connections with an rtt in:\n" + ss).isPositive();
    return sum / count;
  }

  /** A {@link ByteExchangeHelper} JVM in the namespace whose {@code comm} is {@code name}. */
  private Process helper(String ns, String name) throws IOException, URISyntaxException {
    return helpers.start(List.of("ip", "netns", "exec", ns), name, ByteExchangeHelper.class);
  }

  private void command(Process helper, String line) throws IOException {
    assertThat(helpers.command(helper, line)).as(line).isEqualTo("ok");
  }
}
