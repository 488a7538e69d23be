package io.planetexporter.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.planetexporter.testfixtures.Distribution;
import io.planetexporter.testfixtures.ExporterProcess;
import io.planetexporter.testfixtures.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The exporter from the tarball behind a web config file: TLS 1.3 only, client certificates
 * verified against a CA, and a user whose hash {@code htpasswd -nbB} made. Certificates are made by
 * the openssl command for this test: an EC key in SEC1 form ({@code EC PRIVATE KEY}) for the
 * server, an RSA key in PKCS#8 for the client.
 */
@Timeout(180)
class SecureEndpointIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String PASSWORD = "correct horse";

  private static Path dir;
  private static ExporterProcess exporter;

  @BeforeAll
  static void start() throws IOException {
    dir = Files.createTempDirectory("planet-secure-");
    TestPki.writeServerAndClient(dir);
    Files.writeString(
        dir.resolve("web.yml"),
        """
        tls_server_config:
          cert_file: server.crt
          key_file: server.key
          client_ca_file: ca.crt
          client_auth_type: RequireAndVerifyClientCert
          min_version: TLS13
          curve_preferences: [CurveP384]
        basic_auth_users:
          prometheus: '%s'
        http_server_config:
          headers:
            X-Content-Type-Options: nosniff
        """
            .formatted(Command.bcrypt(dir, "prometheus", PASSWORD)));
    exporter =
        ExporterProcess.start(
            "-web.config.file=" + dir.resolve("web.yml"), "-task-socketstat-enabled=false");
  }

  @AfterAll
  static void stop() throws IOException {
    if (exporter != null) {
      exporter.close();
    }
    Distribution.deleteRecursively(dir);
  }

  private static String url(String path) {
    return "https://127.0.0.1:" + exporter.port() + path;
  }

  private static Command.Result curl(String... args) throws IOException {
    Files.deleteIfExists(dir.resolve("body"));
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "curl",
                "-sS",
                "--max-time",
                "10",
                "--cacert",
                "ca.crt",
                "-o",
                "body",
                "-w",
                "%{http_code}"));
    command.addAll(List.of(args));
    return Command.run(dir, command.toArray(new String[0]));
  }

  private static String body() throws IOException {
    Path body = dir.resolve("body");
    return Files.exists(body) ? Files.readString(body) : "";
  }

  @Test
  void aRealPrometheusScrapesItOverMutualTlsWithBasicAuth() {
    String job =
        """
            scheme: https
            tls_config:
              ca_file: ca.crt
              cert_file: client.crt
              key_file: client.key
            basic_auth:
              username: prometheus
              password: '%s'
        """
            .formatted(PASSWORD);
    try (PrometheusServer prometheus =
        PrometheusServer.start(
            List.of(exporter.target()), job, target -> TestPki.copyClientFiles(dir, target))) {
      JsonNode up = prometheus.awaitResult("up{job=\"planet\"} == 1", PATIENCE);
      assertThat(up.get(0).path("value").get(1).asText()).isEqualTo("1");
      prometheus.awaitResult("planet_exporter_build_info", PATIENCE);
    }
  }

  @Test
  void answersTheRightUser200AndAWrongPassword401() throws IOException {
    Command.Result ok =
        curl(
            "--cert",
            "client.crt",
            "--key",
            "client.key",
            "-u",
            "prometheus:" + PASSWORD,
            url("/metrics"));
    assertThat(ok.output()).isEqualTo("200");
    assertThat(body()).contains("planet_exporter_build_info");

    Command.Result wrong =
        curl(
            "--cert",
            "client.crt",
            "--key",
            "client.key",
            "-u",
            "prometheus:wrong",
            url("/metrics"));
    assertThat(wrong.output()).isEqualTo("401");
    assertThat(body()).doesNotContain("planet_");

    Command.Result healthy =
        curl("--cert", "client.crt", "--key", "client.key", url("/-/healthy"), "-D", "headers");
    assertThat(healthy.output()).isEqualTo("401");
    assertThat(Files.readString(dir.resolve("headers")))
        .containsIgnoringCase("X-Content-Type-Options: nosniff");
  }

  @Test
  void failsTheHandshakeWithoutAClientCertificate() throws IOException {
    Command.Result result = curl("-u", "prometheus:" + PASSWORD, url("/metrics"));

    assertThat(result.exitCode()).as(result.output()).isNotZero();
    assertThat(body()).doesNotContain("planet_");
  }

  @Test
  void refusesAClientThatStopsAtTls12() throws IOException {
    Command.Result result =
        curl(
            "--tls-max",
            "1.2",
            "--cert",
            "client.crt",
            "--key",
            "client.key",
            "-u",
            "prometheus:" + PASSWORD,
            url("/metrics"));

    assertThat(result.exitCode()).as(result.output()).isNotZero();
    assertThat(body()).doesNotContain("planet_");
  }

  @Test
  void agreesOnlyOnTheCurvesOfCurvePreferences() throws IOException {
    String[] client = {
      "--cert", "client.crt", "--key", "client.key", "-u", "prometheus:" + PASSWORD
    };
    List<String> p256 = new java.util.ArrayList<>(List.of("--curves", "prime256v1"));
    p256.addAll(List.of(client));
    p256.add(url("/metrics"));
    List<String> p384 = new java.util.ArrayList<>(List.of("--curves", "secp384r1"));
    p384.addAll(List.of(client));
    p384.add(url("/metrics"));

    Command.Result refused = curl(p256.toArray(new String[0]));
    assertThat(refused.exitCode()).as(refused.output()).isNotZero();
    assertThat(body()).doesNotContain("planet_");

    Command.Result agreed = curl(p384.toArray(new String[0]));
    assertThat(agreed.output()).as(agreed.output()).isEqualTo("200");
    assertThat(body()).contains("planet_exporter_build_info");
  }

  @Test
  void givesNoMetricsToPlainHttpOnTheTlsPort() throws IOException {
    Command.Result result =
        curl("-u", "prometheus:" + PASSWORD, "http://127.0.0.1:" + exporter.port() + "/metrics");

    assertThat(result.output()).doesNotStartWith("200");
    assertThat(body()).doesNotContain("planet_");
  }
}
