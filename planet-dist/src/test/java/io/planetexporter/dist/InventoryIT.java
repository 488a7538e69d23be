package io.planetexporter.dist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.planetexporter.testfixtures.ExporterProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory task in the real program: the primary IP is named from the inventory in {@code
 * planet_hostname}, and a broken source leaves the names in place with the task's success at 0.
 */
class InventoryIT {

  private static final String PRIMARY_IP = "198.18.0.10";
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private static final String INVENTORY =
      """
      [
        {"ip_address": "198.18.0.10", "domain": "primary.example", "hostgroup": "primary-group"},
        {"ip_address": "198.18.0.0/15", "domain": "", "hostgroup": "bench-net"}
      ]
      """;

  private static final String RENAMED =
      """
      [{"ip_address": "198.18.0.0/24", "domain": "renamed.example", "hostgroup": "renamed-group"}]
      """;

  private HttpServer server;
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicReference<String> body = new AtomicReference<>(INVENTORY);

  @BeforeEach
  void startInventoryServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/inventory.json",
        exchange -> {
          byte[] bytes = body.get().getBytes(UTF_8);
          exchange.sendResponseHeaders(status.get(), bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopInventoryServer() {
    server.stop(0);
  }

  @Test
  void keepsTheNamesWhenTheHttpSourceBreaksAndTakesNewOnesWhenItRecovers() {
    try (ExporterProcess exporter =
        ExporterProcess.start(
            "-task-socketstat-enabled=false",
            "-task-inventory-enabled",
            "-task-inventory-addr",
            "http://127.0.0.1:" + server.getAddress().getPort() + "/inventory.json",
            "-task-inventory-interval=1s",
            "-primary-ip=" + PRIMARY_IP)) {
      exporter.awaitReady(PATIENCE);
      String metrics = exporter.scrape();
      assertThat(hostnameLine(metrics))
          .contains("domain=\"primary.example\"", "local_hostgroup=\"primary-group\"");
      assertThat(metrics)
          .contains(
              "planet_scrape_collector_success{collector=\"inventory\"} 1",
              "planet_inventory_entries 2");
      assertThat(Promtool.checkMetrics(metrics)).isEmpty();

      status.set(500);
      metrics = awaitScrape(exporter, m -> m.contains(success(0)));
      assertThat(hostnameLine(metrics))
          .contains("domain=\"primary.example\"", "local_hostgroup=\"primary-group\"");
      assertThat(metrics).contains("planet_inventory_entries 2");

      status.set(200);
      body.set(RENAMED);
      metrics = awaitScrape(exporter, m -> m.contains(success(1)));
      assertThat(hostnameLine(metrics))
          .contains("domain=\"renamed.example\"", "local_hostgroup=\"renamed-group\"");

      body.set("<html>Bad Gateway</html>");
      metrics = awaitScrape(exporter, m -> m.contains(success(0)));
      assertThat(hostnameLine(metrics))
          .contains("domain=\"renamed.example\"", "local_hostgroup=\"renamed-group\"");
      assertThat(exporter.stderr()).contains("not valid JSON");
      assertThat(exporter.stop()).isZero();
    }
  }

  @Test
  void otherTasksLabelTheHostFromTheInventoryInForce() throws IOException {
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ExporterProcess exporter =
            ExporterProcess.start(
                "-task-inventory-enabled",
                "-task-inventory-addr",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/inventory.json",
                "-task-inventory-interval=1s",
                "-task-socketstat-interval=1s",
                "-primary-ip=" + PRIMARY_IP)) {
      String port = "port=\"" + listener.getLocalPort() + "\"";
      awaitScrape(
          exporter, m -> serverProcessLine(m, port).contains("local_hostgroup=\"primary-group\""));

      body.set(RENAMED);

      awaitScrape(
          exporter, m -> serverProcessLine(m, port).contains("local_hostgroup=\"renamed-group\""));
      assertThat(exporter.stop()).isZero();
    }
  }

  @Test
  void loadsAnNdjsonFileAndKeepsItWhenTheFileTurnsToGarbage(@TempDir Path dir) throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("inventory.ndjson"),
            """
            {"ip_address": "198.18.0.10", "domain": "primary.example", "hostgroup": "primary-group"}
            """);
    try (ExporterProcess exporter =
        ExporterProcess.start(
            "-task-socketstat-enabled=false",
            "-task-inventory-enabled",
            "-task-inventory-addr=" + file,
            "-task-inventory-format=ndjson",
            "-task-inventory-interval=1s",
            "-primary-ip=" + PRIMARY_IP)) {
      exporter.awaitReady(PATIENCE);
      assertThat(hostnameLine(exporter.scrape())).contains("domain=\"primary.example\"");

      Files.writeString(file, "garbage\n");
      String metrics = awaitScrape(exporter, m -> m.contains(success(0)));

      assertThat(hostnameLine(metrics))
          .contains("domain=\"primary.example\"", "local_hostgroup=\"primary-group\"");
      assertThat(exporter.stop()).isZero();
    }
  }

  @Test
  void refusesAnUnknownFormatAtStartup() {
    ExporterProcess.Result result =
        ExporterProcess.run(
            "-task-inventory-enabled",
            "-task-inventory-addr=/nonexistent/inventory.json",
            "-task-inventory-format=xml");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr())
        .contains("-task-inventory-format", "unknown value", "xml", "want arrayjson or ndjson");
  }

  private static String success(int value) {
    return "planet_scrape_collector_success{collector=\"inventory\"} " + value;
  }

  private static String hostnameLine(String metrics) {
    return Arrays.stream(metrics.split("\n"))
        .filter(line -> line.startsWith("planet_hostname{"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no planet_hostname in\n" + metrics));
  }

  /** The socketstat series of the listener on that port, or empty. */
  private static String serverProcessLine(String metrics, String port) {
    return Arrays.stream(metrics.split("\n"))
        .filter(line -> line.startsWith("planet_server_process{") && line.contains(port))
        .findFirst()
        .orElse("");
  }

  /** Scrapes until the predicate holds for the metrics text, or fails after a while. */
  private static String awaitScrape(ExporterProcess exporter, Predicate<String> done) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      String metrics = exporter.scrape();
      if (done.test(metrics)) {
        return metrics;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "condition not met within "
                + PATIENCE
                + "; metrics:\n"
                + metrics
                + "\nstderr:\n"
                + exporter.stderr());
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
