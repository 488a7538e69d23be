package io.planetexporter.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.testfixtures.Distribution;
import io.planetexporter.testfixtures.ExporterProcess;
import io.planetexporter.testfixtures.TestHttpsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory task over https in the real program: it trusts what the JVM's trust store trusts,
 * so an operator adds a private CA with {@code -Djavax.net.ssl.trustStore} in {@code
 * PLANET_EXPORTER_JAVA_OPTS}, and nothing else.
 */
class InventoryHttpsIT {

  private static final String PRIMARY_IP = "198.18.0.10";
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private static final String INVENTORY =
      """
      [{"ip_address": "198.18.0.10", "domain": "primary.example", "hostgroup": "primary-group"}]
      """;

  @TempDir Path dir;
  private TestHttpsServer server;

  @BeforeEach
  void startInventoryServer() throws Exception {
    server = TestHttpsServer.start(dir, INVENTORY);
  }

  @AfterEach
  void stopInventoryServer() {
    server.close();
  }

  @Test
  void fetchesTheInventoryFromAServerTheConfiguredTrustStoreTrusts() throws Exception {
    List<String> javaOptions = new ArrayList<>(Distribution.defaultJavaOptions());
    javaOptions.addAll(
        List.of(
            "-Djavax.net.ssl.trustStore=" + server.truststore(),
            "-Djavax.net.ssl.trustStorePassword=" + TestHttpsServer.PASSWORD,
            "-Djavax.net.ssl.trustStoreType=PKCS12"));

    try (ExporterProcess exporter = start(String.join(" ", javaOptions))) {
      exporter.awaitReady(PATIENCE);
      String metrics = exporter.scrape();

      assertThat(hostnameLine(metrics))
          .contains("domain=\"primary.example\"", "local_hostgroup=\"primary-group\"");
      assertThat(metrics).contains(success(1));
      assertThat(exporter.stop()).isZero();
    }
  }

  @Test
  void refusesAServerTheDefaultTrustStoreDoesNotTrust() throws Exception {
    try (ExporterProcess exporter = start(String.join(" ", Distribution.defaultJavaOptions()))) {
      exporter.awaitReady(PATIENCE);
      String metrics = exporter.scrape();

      assertThat(metrics).contains(success(0));
      assertThat(hostnameLine(metrics))
          .doesNotContain("primary.example", "primary-group")
          .contains("domain=\"\"", "local_hostgroup=\"\"");
      assertThat(exporter.awaitStderr("SSLHandshakeException", PATIENCE))
          .contains(server.uri("/inventory.json").toString());
      assertThat(exporter.stop()).isZero();
    }
  }

  private ExporterProcess start(String javaOptions) {
    return ExporterProcess.builder()
        .env("PLANET_EXPORTER_JAVA_OPTS", javaOptions)
        .args(
            "-task-socketstat-enabled=false",
            "-task-inventory-enabled",
            "-task-inventory-addr",
            server.uri("/inventory.json").toString(),
            "-primary-ip",
            PRIMARY_IP)
        .start();
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
}
