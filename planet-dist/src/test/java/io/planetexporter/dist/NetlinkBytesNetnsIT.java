package io.planetexporter.dist;

import static io.planetexporter.dist.SocketHelpers.deleteTree;
import static io.planetexporter.dist.SocketHelpers.isRoot;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bytes per dependency between two network namespaces joined by a veth pair (198.18.0.0/15), with
 * an exporter from the tarball in each, reading netlink, and a second one in the client's namespace
 * reading {@code /proc/net}. A client process {@code pe-client} sends exactly A bytes and receives
 * exactly B from {@code pe-server} on one long-lived connection and on 50 that open, exchange and
 * close between two collections; and then on connections closed in every order (one port each).
 * Namespaces, veth pair and processes are removed afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetlinkBytesNetnsIT {

  private static final int A = 12_345;
  private static final int B = 54_321;
  private static final int SHORT = 50;
  private static final Duration PATIENCE = Duration.ofSeconds(40);
  private static final String[] OWN_NAMESPACE = {"-task-socketstat-namespaces", "own"};

  private final Random random = new Random();
  private final int port = 20_000 + random.nextInt(10_000);
  private SocketHelpers helpers;
  private Path temp;
  private ClientServerNamespaces namespaces;

  @BeforeAll
  void createNamespaces() throws Exception {
    assumeTrue(isRoot(), "needs root for network namespaces and the destroy events");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")), "needs iproute2's ip");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "needs curl to scrape in a namespace");
    temp = Files.createTempDirectory("planet-bytes-");
    helpers = new SocketHelpers(temp);
    namespaces = ClientServerNamespaces.create("b");
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
  void countsExactPayloadPerDependencyOnBothSidesAndProcAgreesOnTheSeries() throws Exception {
    Process server = helper(namespaces.serverNs(), "pe-server");
    command(server, "serve " + namespaces.serverIp() + " " + port + " " + A + " " + B);
    try (ExporterProcess clientExporter = exporter(namespaces.clientNs(), "netlink");
        ExporterProcess procExporter = exporter(namespaces.clientNs(), "proc");
        ExporterProcess serverExporter = exporter(namespaces.serverNs(), "netlink")) {
      assertThat(
              awaitScrape(
                  namespaces.clientNs(),
                  clientExporter,
                  t -> t.contains("planet_socketstat_bytes_mode{mode=\"destroy_events\"} 1")))
          .contains("planet_socketstat_bytes_mode{mode=\"destroy_events\"} 1");
      awaitScrape(
          namespaces.serverNs(), serverExporter, t -> t.contains("planet_socketstat_bytes_mode"));
      assertThat(get(namespaces.clientNs(), clientExporter, "/"))
          .contains("source netlink, byte counters destroy_events");
      assertThat(get(namespaces.clientNs(), procExporter, "/"))
          .contains("source proc, byte counters off");
      Process client = helper(namespaces.clientNs(), "pe-client");
      command(client, "hold " + namespaces.serverIp() + " " + port + " " + A + " " + B);
      command(
          client,
          "exchange " + namespaces.serverIp() + " " + port + " " + A + " " + B + " " + SHORT);

      String clientText =
          awaitScrape(
              namespaces.clientNs(),
              clientExporter,
              t -> sum(t, "planet_upstream_bytes_total", "ingress") >= 51L * B);
      String serverText =
          awaitScrape(
              namespaces.serverNs(),
              serverExporter,
              t -> sum(t, "planet_downstream_bytes_total", "ingress") >= 51L * A);

      assertThat(sum(clientText, "planet_upstream_bytes_total", "egress")).isEqualTo(51L * A);
      assertThat(sum(clientText, "planet_upstream_bytes_total", "ingress")).isEqualTo(51L * B);
      assertThat(sum(serverText, "planet_downstream_bytes_total", "ingress")).isEqualTo(51L * A);
      assertThat(sum(serverText, "planet_downstream_bytes_total", "egress")).isEqualTo(51L * B);
      assertThat(series(serverText, "planet_downstream_bytes_total"))
          .allMatch(l -> l.contains("process_name=\"pe-server\""))
          .allMatch(l -> l.contains("remote_address=\"" + namespaces.clientIp() + "\""));
      assertThat(series(clientText, "planet_upstream_bytes_total"))
          .allMatch(l -> l.contains("remote_address=\"" + namespaces.serverIp() + "\""))
          .anyMatch(l -> l.contains("process_name=\"pe-client\""));

      // The live connection as ss sees it in the same namespace: payload A and B, SYN aside.
      String ss =
          run(
              "ip",
              "netns",
              "exec",
              namespaces.clientNs(),
              "ss",
              "-tinH",
              "state",
              "established",
              "dst",
              namespaces.serverIp() + ":" + port);
      assertThat(counter(ss, "bytes_acked")).isEqualTo(A + 1);
      assertThat(counter(ss, "bytes_received")).isEqualTo(B);

      // Later scrapes: the same values, nothing counted twice, nothing lost.
      Thread.sleep(2_500);
      String clientAgain = scrape(namespaces.clientNs(), clientExporter);
      String serverAgain = scrape(namespaces.serverNs(), serverExporter);
      assertThat(series(clientAgain, "planet_upstream_bytes_total"))
          .isEqualTo(series(clientText, "planet_upstream_bytes_total"));
      assertThat(series(serverAgain, "planet_downstream_bytes_total"))
          .isEqualTo(series(serverText, "planet_downstream_bytes_total"));

      // The /proc/net source: the same dependency series, and no byte counters.
      Supplier<String> viaNetlink =
          () -> dependencies(scrape(namespaces.clientNs(), clientExporter));
      String fromProc = "";
      Instant deadline = Instant.now().plus(PATIENCE);
      while (Instant.now().isBefore(deadline)) {
        fromProc = dependencies(scrape(namespaces.clientNs(), procExporter));
        if (fromProc.equals(viaNetlink.get())) {
          break;
        }
        Thread.sleep(500);
      }
      assertThat(fromProc).isEqualTo(viaNetlink.get()).contains("pe-client");
      assertThat(scrape(namespaces.clientNs(), procExporter))
          .contains("planet_socketstat_bytes_mode{mode=\"off\"} 1")
          .doesNotContain("planet_upstream_bytes_total{");
    }
  }

  /**
   * Every order of closing ({@link ByteExchangeHelper.Order}), on a port of its own: connections
   * that open, exchange and close between two collections count from their destroy events alone;
   * those one side aborts are held open across a collection first (the kernel announces the
   * aborting side with its counters cleared, so it counts at its last-seen bytes). Then, with no
   * time-wait socket allowed in either namespace, the orders that leave none to tell by anyway.
   * Each end's exporter serves exactly the payload, and the same two scrapes later.
   */
  @Test
  void countsEveryOrderOfClosingExactlyOnBothEnds() throws Exception {
    List<ByteExchangeHelper.Order> orders = List.of(ByteExchangeHelper.Order.values());
    List<ByteExchangeHelper.Order> withoutTimeWait =
        List.of(
            ByteExchangeHelper.Order.CLIENT_SHUTS_DOWN_DRAINS_CLOSES,
            ByteExchangeHelper.Order.CLIENT_ABORTS,
            ByteExchangeHelper.Order.SERVER_ABORTS,
            ByteExchangeHelper.Order.CLIENT_CLOSES_WITH_UNREAD_DATA);
    Process server = helper(namespaces.serverNs(), "pe-server");
    for (int i = 0; i < orders.size() + withoutTimeWait.size(); i++) {
      ByteExchangeHelper.Order order =
          i < orders.size() ? orders.get(i) : withoutTimeWait.get(i - orders.size());
      command(
          server,
          "serve "
              + namespaces.serverIp()
              + " "
              + orderPort(i)
              + " "
              + A
              + " "
              + B
              + " "
              + words(order));
    }
    // Their own namespace only: a collection of every namespace of a busy host may outlast the
    // 3 s the aborted connections are held open for.
    try (ExporterProcess clientExporter =
            exporter(namespaces.clientNs(), "netlink", OWN_NAMESPACE);
        ExporterProcess serverExporter =
            exporter(namespaces.serverNs(), "netlink", OWN_NAMESPACE)) {
      awaitScrape(
          namespaces.clientNs(), clientExporter, t -> t.contains("mode=\"destroy_events\"} 1"));
      awaitScrape(
          namespaces.serverNs(), serverExporter, t -> t.contains("mode=\"destroy_events\"} 1"));
      Process client = helper(namespaces.clientNs(), "pe-client");
      for (int i = 0; i < orders.size(); i++) {
        exchange(client, i, orders.get(i));
      }
      expectExactPayloads(clientExporter, serverExporter, orders, 0);
      for (String ns : List.of(namespaces.clientNs(), namespaces.serverNs())) {
        run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.tcp_max_tw_buckets=0");
      }
      for (int i = 0; i < withoutTimeWait.size(); i++) {
        exchange(client, orders.size() + i, withoutTimeWait.get(i));
      }
      expectExactPayloads(clientExporter, serverExporter, withoutTimeWait, orders.size());
    }
  }

  /** Connections per order: the aborted ones are held across a collection, so fewer. */
  private static int connections(ByteExchangeHelper.Order order) {
    return aborted(order) ? 3 : 10;
  }

  private static boolean aborted(ByteExchangeHelper.Order order) {
    return order == ByteExchangeHelper.Order.CLIENT_ABORTS
        || order == ByteExchangeHelper.Order.SERVER_ABORTS;
  }

  /** The order's name and how long the aborting side holds its connections open. */
  private static String words(ByteExchangeHelper.Order order) {
    return order.word() + " " + (aborted(order) ? 3_000 : 0);
  }

  private int orderPort(int i) {
    return port + 1 + i;
  }

  private void exchange(Process client, int i, ByteExchangeHelper.Order order) throws IOException {
    command(
        client,
        "exchange "
            + namespaces.serverIp()
            + " "
            + orderPort(i)
            + " "
            + A
            + " "
            + B
            + " "
            + connections(order)
            + " "
            + words(order));
  }

  /**
   * What one end's byte counters of an order's port must serve: exactly, or for ingress up to
   * {@code slack} bytes more.
   */
  private record Expected(String metric, long egress, long ingress, long slack) {}

  /**
   * Each end's byte counters of each order's port, once they are complete, and again two scrapes
   * later. Bytes left unread count as received: the client's host got them and acked them. The
   * server of that order may count one byte too many per connection: the client's FIN, which Java
   * sends before the reset when it closes with bytes unread, unless the reset overtakes it (so some
   * connections do and some do not; docs/tasks.md, known limits).
   */
  private void expectExactPayloads(
      ExporterProcess clientExporter,
      ExporterProcess serverExporter,
      List<ByteExchangeHelper.Order> orders,
      int firstPort)
      throws InterruptedException {
    List<Expected> client = new ArrayList<>();
    List<Expected> server = new ArrayList<>();
    for (ByteExchangeHelper.Order order : orders) {
      int n = connections(order);
      boolean unread = order == ByteExchangeHelper.Order.CLIENT_CLOSES_WITH_UNREAD_DATA;
      long answered = n * (B + (unread ? (long) ByteExchangeHelper.UNREAD : 0));
      client.add(new Expected("planet_upstream_bytes_total", n * (long) A, answered, 0));
      server.add(
          new Expected("planet_downstream_bytes_total", answered, n * (long) A, unread ? n : 0));
    }
    String clientText =
        awaitScrape(namespaces.clientNs(), clientExporter, t -> reached(t, firstPort, client));
    String serverText =
        awaitScrape(namespaces.serverNs(), serverExporter, t -> reached(t, firstPort, server));
    Thread.sleep(2_500);
    String clientAgain = scrape(namespaces.clientNs(), clientExporter);
    String serverAgain = scrape(namespaces.serverNs(), serverExporter);
    for (int i = 0; i < orders.size(); i++) {
      String what = orders.get(i).word() + " (port " + orderPort(firstPort + i) + ")";
      for (String text : List.of(clientText, clientAgain)) {
        expect(text, orderPort(firstPort + i), client.get(i), "client, " + what);
      }
      for (String text : List.of(serverText, serverAgain)) {
        expect(text, orderPort(firstPort + i), server.get(i), "server, " + what);
      }
    }
  }

  private static void expect(String text, int port, Expected expected, String what) {
    assertThat(sum(text, expected.metric(), port, "egress"))
        .as("egress, " + what)
        .isEqualTo(expected.egress());
    assertThat(sum(text, expected.metric(), port, "ingress"))
        .as("ingress, " + what)
        .isBetween(expected.ingress(), expected.ingress() + expected.slack());
  }

  /** Whether every order's counters reached what is expected of them. */
  private boolean reached(String text, int firstPort, List<Expected> expected) {
    for (int i = 0; i < expected.size(); i++) {
      Expected each = expected.get(i);
      if (sum(text, each.metric(), orderPort(firstPort + i), "egress") < each.egress()
          || sum(text, each.metric(), orderPort(firstPort + i), "ingress") < each.ingress()) {
        return false;
      }
    }
    return true;
  }

  private ExporterProcess exporter(String ns, String source, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("-task-socketstat-interval", "2s", "-task-socketstat-source", source));
    args.addAll(List.of(more));
    return ExporterProcess.builder()
        .prefix("ip", "netns", "exec", ns)
        .args(args.toArray(String[]::new))
        .start();
  }

  /** GET /metrics from inside the namespace, where the exporter listens on loopback. */
  private String scrape(String ns, ExporterProcess exporter) {
    return get(ns, exporter, "/metrics");
  }

  private static String get(String ns, ExporterProcess exporter, String path) {
    return SocketHelpers.getIn(ns, exporter, path);
  }

  private String awaitScrape(
      String ns, ExporterProcess exporter, java.util.function.Predicate<String> done)
      throws InterruptedException {
    return SocketHelpers.awaitScrapeIn(ns, exporter, done, PATIENCE);
  }

  /** The series of {@code metric} for the test's port, sorted. */
  private List<String> series(String text, String metric) {
    return series(text, metric, port);
  }

  private static List<String> series(String text, String metric, int port) {
    return text.lines()
        .filter(l -> l.startsWith(metric + "{") && l.contains("port=\"" + port + "\""))
        .sorted()
        .toList();
  }

  /** The sum of a byte counter's series for the test's port and one direction. */
  private long sum(String text, String metric, String direction) {
    return sum(text, metric, port, direction);
  }

  private static long sum(String text, String metric, int port, String direction) {
    return series(text, metric, port).stream()
        .filter(l -> l.contains("direction=\"" + direction + "\""))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** planet_upstream, planet_downstream and planet_server_process of the test's port. */
  private String dependencies(String text) {
    return Stream.of("planet_upstream", "planet_downstream", "planet_server_process")
        .flatMap(m -> series(text, m).stream())
        .collect(Collectors.joining("\n"));
  }

  private static long counter(String ss, String name) {
    Matcher matcher = Pattern.compile("\\b" + name + ":(\\d+)").matcher(ss);
    assertThat(matcher.find()).as(name + " in:\n" + ss).isTrue();
    return Long.parseLong(matcher.group(1));
  }

  /** A {@link ByteExchangeHelper} JVM in the namespace whose {@code comm} is {@code name}. */
  private Process helper(String ns, String name) throws IOException, URISyntaxException {
    return helpers.start(List.of("ip", "netns", "exec", ns), name, ByteExchangeHelper.class);
  }

  private void command(Process helper, String line) throws IOException {
    assertThat(helpers.command(helper, line)).as(line).isEqualTo("ok");
  }

  /** Runs a command to its end; its output, or an exception with it when it fails. */
  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + ": " + output);
    }
    return output;
  }
}
