package io.planetexporter.dist;

import static io.planetexporter.dist.SocketHelpers.deleteTree;
import static io.planetexporter.dist.SocketHelpers.ip;
import static io.planetexporter.dist.SocketHelpers.isRoot;
import static io.planetexporter.dist.SocketHelpers.joinedNamespaces;
import static io.planetexporter.dist.SocketHelpers.runQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.planetexporter.task.socketstat.runtime.RuntimeStateTree;
import io.planetexporter.testfixtures.ExporterProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two "containers" on this machine: network namespaces joined by a veth pair, a database process
 * ({@code pe-db}) in one, placed in a cgroup named as systemd names a unit ({@code
 * .../system.slice/demo-db.service}), and a client ({@code pe-app}) in the other, placed in a
 * cgroup named as Docker's systemd driver names a container ({@code .../system.slice/docker-<64
 * hex>.scope}). The client connects to the database across the veth pair, and to a listener of its
 * own on 127.0.0.1.
 *
 * <p>The exporter, started in the root namespace, serves both namespaces' series with their
 * workloads (the client's container named {@code shop/app} from Docker state written as Compose
 * writes it, in a directory given as Docker's root), and with each namespace's own address standing
 * for its loopback one; with {@code -task-socketstat-namespaces own} it serves none of them. Both
 * cgroups hang below {@code planet-it-<random>} at the top of the hierarchy, so that concurrent
 * runs do not meet and the unit is still exactly {@code demo-db.service}. Namespaces and cgroups
 * are removed afterwards, even on failure; only the processes this test started are moved into
 * them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SocketstatWorkloadsIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final Random random = new Random();
  private final String suffix = String.format("%06x", random.nextInt(1 << 24));
  private final int subnet = 1 + random.nextInt(250);
  private final String dbNs = "pe-db-" + suffix;
  private final String appNs = "pe-app-" + suffix;
  private final String dbIp = "198.18." + subnet + ".1";
  private final String appIp = "198.18." + subnet + ".2";

  /** Outside the ephemeral range, so that no other socket of the machine has it by chance. */
  private final int dbPort = 20000 + random.nextInt(5000);

  private final int appPort = 25000 + random.nextInt(5000);
  private final String containerId = HexFormat.of().formatHex(randomBytes(32));

  private Path temp;
  private Path dockerRoot;
  private SocketHelpers helpers;
  private Path cgroupTop;
  private boolean namespacesCreated;

  private byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }

  @BeforeAll
  void createContainers() throws Exception {
    assumeTrue(isRoot(), "needs root for network namespaces and cgroups");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")), "needs iproute2's ip");
    Path hierarchy = TestCgroups.hierarchy();
    assumeTrue(hierarchy != null, "needs a writable cgroup v2 or name=systemd hierarchy");
    temp = Files.createTempDirectory("planet-workloads-");
    helpers = new SocketHelpers(temp);
    // The client's container as Docker writes a Compose service's: the exporter names it shop/app.
    RuntimeStateTree state = new RuntimeStateTree(temp.resolve("state"));
    state.dockerCompose(containerId, "shop", "app");
    dockerRoot = state.roots().docker();
    namespacesCreated = true;
    String dbEnd = "ped" + suffix;
    String appEnd = "pea" + suffix;
    joinedNamespaces(dbNs, dbEnd, appNs, appEnd);
    configure(dbNs, dbEnd, dbIp);
    configure(appNs, appEnd, appIp);
    // The client's primary address is the source of its default route.
    ip("-n", appNs, "route", "add", "default", "via", dbIp);

    cgroupTop = hierarchy.resolve("planet-it-" + suffix);
    Path unit = Files.createDirectories(cgroupTop.resolve("system.slice/demo-db.service"));
    Path scope =
        Files.createDirectories(cgroupTop.resolve("system.slice/docker-" + containerId + ".scope"));

    Process db = helpers.start(TestCgroups.inCgroup(unit, dbNs), "pe-db");
    Process app = helpers.start(TestCgroups.inCgroup(scope, appNs), "pe-app");
    command(db, "listen tcp 0.0.0.0 " + dbPort);
    command(app, "listen tcp 127.0.0.1 " + appPort);
    command(app, "connect tcp " + dbIp + " " + dbPort);
    command(app, "connect tcp 127.0.0.1 " + appPort);
  }

  @AfterAll
  void removeContainers() throws Exception {
    if (helpers != null) {
      helpers.stopAll();
    }
    if (namespacesCreated) {
      runQuietly("ip", "netns", "del", dbNs);
      runQuietly("ip", "netns", "del", appNs);
    }
    if (cgroupTop != null) {
      TestCgroups.remove(cgroupTop);
    }
    if (temp != null) {
      deleteTree(temp);
    }
  }

  @ParameterizedTest(name = "source {0}")
  @ValueSource(strings = {"netlink", "proc"})
  void servesBothContainersSeriesWithTheirWorkloadsAndAddresses(String source) throws Exception {
    String container = containerId.substring(0, 12);
    List<String> series =
        new ArrayList<>(
            List.of(
                server("[::]:" + dbPort, dbPort, "pe-db", "", "demo-db.service", ""),
                server("127.0.0.1:" + appPort, appPort, "pe-app", container, "", "shop/app"),
                peer("planet_upstream", appIp, dbPort, "pe-app", dbIp, container, "", "shop/app"),
                peer("planet_downstream", dbIp, dbPort, "pe-db", appIp, "", "demo-db.service", ""),
                peer(
                    "planet_upstream",
                    appIp,
                    appPort,
                    "pe-app",
                    "localhost",
                    container,
                    "",
                    "shop/app"),
                peer(
                    "planet_downstream",
                    appIp,
                    appPort,
                    "pe-app",
                    "localhost",
                    container,
                    "",
                    "shop/app")));
    if (source.equals("netlink")) {
      // Read from inside each namespace, the connections' byte counters (no payload: 0) count on
      // the same edges, workloads included.
      for (String line : List.copyOf(series)) {
        if (!line.startsWith("planet_server_process")) {
          for (String direction : List.of("egress", "ingress")) {
            series.add(
                line.replaceFirst("\\{", "_bytes_total{")
                    .replaceFirst("(container=\"[^\"]*\",)", "$1direction=\"" + direction + "\",")
                    .replace("} 1.0", "} 0.0"));
          }
        }
      }
    }
    String expected = sorted(series);
    try (ExporterProcess exporter =
        ExporterProcess.start(
            "-task-socketstat-interval",
            "1s",
            "-task-socketstat-source",
            source,
            "-task-socketstat-docker-root",
            dockerRoot.toString())) {
      String actual = "";
      Instant deadline = Instant.now().plus(PATIENCE);
      while (!actual.equals(expected) && Instant.now().isBefore(deadline)) {
        Thread.sleep(300);
        actual = seriesOfOurPorts(exporter.scrape());
      }

      assertThat(actual).isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "source {0}")
  @ValueSource(strings = {"netlink", "proc"})
  void servesNoneOfThemWhenToldToReadOnlyItsOwnNamespace(String source) throws Exception {
    try (ExporterProcess exporter =
        ExporterProcess.start(
            "-task-socketstat-interval",
            "1s",
            "-task-socketstat-source",
            source,
            "-task-socketstat-namespaces",
            "own")) {
      // Three collections at least, each of which would have seen the containers.
      Instant deadline = Instant.now().plus(PATIENCE);
      String text = exporter.scrape();
      while (collections(text) < 3 && Instant.now().isBefore(deadline)) {
        Thread.sleep(300);
        text = exporter.scrape();
      }

      assertThat(collections(text)).isGreaterThanOrEqualTo(3);
      assertThat(text).contains("planet_socketstat_namespaces 1.0");
      assertThat(seriesOfOurPorts(text)).isEqualTo("\n");
    }
  }

  /** How many times socketstat has run, from the collector's run counter. */
  private static long collections(String text) {
    return text.lines()
        .filter(
            l -> l.startsWith("planet_task_runs_total{") && l.contains("collector=\"socketstat\""))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(0);
  }

  private String seriesOfOurPorts(String text) {
    return sorted(
        text.lines()
            // The dependencies and their byte counters; edge health (whose RTTs move) is
            // EdgeHealthNetnsIT's.
            .filter(
                l ->
                    l.matches("planet_(upstream|downstream)(_bytes_total)?\\{.*")
                        || l.startsWith("planet_server_process{"))
            .filter(
                l ->
                    l.contains("port=\"" + dbPort + "\"") || l.contains("port=\"" + appPort + "\""))
            .toList());
  }

  private static String server(
      String bind, int port, String process, String container, String unit, String workload) {
    return ("planet_server_process{bind=\"%s\",container=\"%s\",local_hostgroup=\"\",port=\"%d\","
            + "process_name=\"%s\",protocol=\"tcp\",unit=\"%s\",workload=\"%s\"} 1.0")
        .formatted(bind, container, port, process, unit, workload);
  }

  private static String peer(
      String metric,
      String localAddress,
      int port,
      String process,
      String remoteAddress,
      String container,
      String unit,
      String workload) {
    String remoteHostgroup = remoteAddress.equals("localhost") ? "localhost" : "";
    return ("%s{container=\"%s\",local_address=\"%s\",local_hostgroup=\"\",port=\"%d\","
            + "process_name=\"%s\",protocol=\"tcp\",remote_address=\"%s\","
            + "remote_hostgroup=\"%s\",unit=\"%s\",workload=\"%s\"} 1.0")
        .formatted(
            metric,
            container,
            localAddress,
            port,
            process,
            remoteAddress,
            remoteHostgroup,
            unit,
            workload);
  }

  private static String sorted(List<String> lines) {
    return lines.stream().sorted().collect(Collectors.joining("\n")) + "\n";
  }

  private void command(Process helper, String line) throws IOException {
    assertThat(helpers.command(helper, line)).as(line).isEqualTo("ok");
  }

  private static void configure(String ns, String device, String ipv4) throws Exception {
    ip("-n", ns, "link", "set", "lo", "up");
    ip("-n", ns, "addr", "add", ipv4 + "/24", "dev", device);
    ip("-n", ns, "link", "set", device, "up");
  }
}
