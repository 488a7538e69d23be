package io.planetexporter.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.planetexporter.testfixtures.ExporterProcess;
import io.planetexporter.testfixtures.TestHttpClient;
import io.planetexporter.testfixtures.TestHttpServer;
import io.planetexporter.testfixtures.TestPki;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * planet-map from the tarball against a real Prometheus behind its own {@code --web.config.file}:
 * TLS with a certificate of a test CA, client certificates required and verified, and basic auth.
 * Prometheus scrapes a static page of one dependency (web → api:8080) over plain http on loopback.
 * The map draws it with the right credentials; a wrong password (rotated in its file while the map
 * runs) or a missing client certificate is a 502 that names the cause and never the secret.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MapSecuredPrometheusIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String PASSWORD = "c0rrect-h0rse";
  private static final ObjectMapper json = new ObjectMapper();
  private static final String PAGE =
      """
      # TYPE planet_upstream gauge
      planet_upstream{local_address="198.18.0.2",local_hostgroup="web",remote_address="198.18.0.3",\
      remote_hostgroup="api",port="8080",protocol="tcp",process_name="webapp"} 1
      """;

  private Path dir;
  private TestHttpServer target;
  private PrometheusServer prometheus;
  private final List<ExporterProcess> maps = new ArrayList<>();

  @BeforeAll
  void startPrometheusBehindTlsAndBasicAuth() throws Exception {
    dir = Files.createTempDirectory("planet-map-secured-");
    TestPki.Issued ca = TestPki.ca("prometheus-ca");
    Files.writeString(dir.resolve("ca.crt"), TestPki.pem(ca.certificate()));
    TestPki.Issued server = TestPki.leaf(ca, "localhost", TestPki.ec());
    TestPki.Issued client = TestPki.leaf(ca, "planet-map", TestPki.rsa());
    client.write(dir, "client", true);
    Files.writeString(dir.resolve("password"), PASSWORD + "\n");
    String hash = Command.ok(dir, "htpasswd", "-nbB", "map", PASSWORD).strip();
    target = TestHttpServer.start();
    target.respond(200, PAGE);
    String web =
        """
        tls_server_config:
          cert_file: server.crt
          key_file: server.key
          client_auth_type: RequireAndVerifyClientCert
          client_ca_file: ca.crt
        basic_auth_users:
          map: '%s'
        """
            .formatted(hash.substring(hash.indexOf(':') + 1));
    prometheus =
        PrometheusServer.start(
            List.of(target.uri("/").getAuthority()),
            "",
            config -> {
              server.write(config, "server", false);
              Files.writeString(config.resolve("ca.crt"), TestPki.pem(ca.certificate()));
            },
            Optional.of(
                new PrometheusServer.Web(
                    web, client.context(ca), TestHttpClient.basic("map:" + PASSWORD))));
    prometheus.awaitResult("planet_upstream", PATIENCE);
  }

  @AfterAll
  void stop() throws Exception {
    maps.forEach(ExporterProcess::close);
    for (AutoCloseable closeable : new AutoCloseable[] {prometheus, target}) {
      if (closeable != null) {
        closeable.close();
      }
    }
    if (dir != null) {
      SocketHelpers.deleteTree(dir);
    }
  }

  private ExporterProcess map(String... args) {
    // Each test's requests alone reach Prometheus: a background refresh of the fleet's graph,
    // failing its handshake at the same moment, could change which error the test's request sees.
    List<String> all =
        new ArrayList<>(List.of("-query-timeout", "5s", "-fleet-graph-refresh-interval", "0s"));
    all.addAll(List.of(args));
    ExporterProcess map =
        ExporterProcess.builder().program("planet-map").args(all.toArray(String[]::new)).start();
    maps.add(map);
    return map;
  }

  private String[] tlsFiles() {
    return new String[] {
      "-prometheus-tls-ca-file", dir.resolve("ca.crt").toString(),
      "-prometheus-tls-cert-file", dir.resolve("client.crt").toString(),
      "-prometheus-tls-key-file", dir.resolve("client.key").toString()
    };
  }

  private static List<String> edges(JsonNode graph) {
    List<String> ids = new ArrayList<>();
    graph.path("edges").forEach(edge -> ids.add(edge.path("id").asText()));
    return ids;
  }

  @Test
  void drawsTheGraphWithThePasswordFileAndFollowsItsRotation() throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-prometheus-url",
                prometheus.uri().toString(),
                "-prometheus-basic-auth-username",
                "map",
                "-prometheus-basic-auth-password-file",
                dir.resolve("password").toString()));
    args.addAll(List.of(tlsFiles()));
    ExporterProcess map = map(args.toArray(String[]::new));

    HttpResponse<String> drawn = map.get("/api/graph?range=5m");
    Files.writeString(dir.resolve("password"), "wr0ng-pa55\n");
    HttpResponse<String> refused = map.get("/api/graph?range=5m");
    Files.writeString(dir.resolve("password"), PASSWORD + "\n");
    HttpResponse<String> drawnAgain = map.get("/api/graph?range=5m");

    assertThat(drawn.statusCode()).as(drawn.body()).isEqualTo(200);
    assertThat(edges(json.readTree(drawn.body()))).containsExactly("web->api:8080/tcp");
    assertThat(refused.statusCode()).isEqualTo(502);
    assertThat(json.readTree(refused.body()).path("error").asText())
        .contains("answered HTTP 401", "unauthorized: check -prometheus-basic-auth-username")
        .doesNotContain("wr0ng-pa55");
    assertThat(drawnAgain.statusCode()).as(drawnAgain.body()).isEqualTo(200);
    assertThat(map.stderr()).doesNotContain(PASSWORD).doesNotContain("wr0ng-pa55");
  }

  @Test
  void sendsTheUrlsUserAndPasswordAndNeverShowsThePassword() throws Exception {
    String url = prometheus.uri().toString().replace("//", "//map:" + PASSWORD + "@");
    List<String> args = new ArrayList<>(List.of("-prometheus-url", url, "-log-level", "debug"));
    args.addAll(List.of(tlsFiles()));
    ExporterProcess map = map(args.toArray(String[]::new));

    HttpResponse<String> drawn = map.get("/api/graph.dot?range=5m");

    assertThat(drawn.statusCode()).as(drawn.body()).isEqualTo(200);
    assertThat(drawn.body()).contains("\"web\" -> \"api\" [label=\"8080/tcp");
    assertThat(map.stderr()).contains("map:***@127.0.0.1").doesNotContain(PASSWORD);
  }

  @Test
  void withoutTheClientCertificateItIsABadGatewayNamingTls() throws Exception {
    ExporterProcess map =
        map(
            "-prometheus-url",
            prometheus.uri().toString(),
            "-prometheus-basic-auth-username",
            "map",
            "-prometheus-basic-auth-password-file",
            dir.resolve("password").toString(),
            "-prometheus-tls-ca-file",
            dir.resolve("ca.crt").toString());

    HttpResponse<String> refused = map.get("/api/graph?range=5m");

    assertThat(refused.statusCode()).isEqualTo(502);
    assertThat(json.readTree(refused.body()).path("error").asText())
        // Under TLS 1.3 the server refuses the certificate after the handshake: its alert (an
        // SSLException) or, when the connection is reset under the request, only the close.
        .contains(
            "is unreachable",
            "(TLS: ",
            "check -prometheus-tls-ca-file, -prometheus-tls-cert-file and -prometheus-tls-key-file")
        .doesNotContain(PASSWORD);
  }
}
