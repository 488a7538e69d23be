package io.planetexporter.map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.web.WebSecurity;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * planet-map with planet-exporter's {@code -web.config.file}: TLS and basic auth from the same file
 * format, read by the same code. The certificate is made by {@code openssl}, as an operator would.
 */
class MapWebConfigTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @TempDir Path dir;
  private FakePrometheus prometheus;
  private MapServer server;
  private HttpClient trusting;

  @BeforeEach
  void start() throws Exception {
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=planet-map",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                "map.key",
                "-out",
                "map.crt")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.log").toFile())
            .start();
    assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(openssl.exitValue()).as(Files.readString(dir.resolve("openssl.log"))).isZero();
    String hash =
        OpenBSDBCrypt.generate("2y", "pw".toCharArray(), "0123456789abcdef".getBytes(UTF_8), 4);
    Files.writeString(
        dir.resolve("web.yml"),
        "tls_server_config:\n  cert_file: map.crt\n  key_file: map.key\n"
            + "basic_auth_users:\n  sre: '"
            + hash
            + "'\nhttp_server_config:\n  headers:\n    X-Content-Type-Options: nosniff\n");
    WebSecurity web =
        MapCommandLine.parse(List.of("-web.config.file", dir.resolve("web.yml").toString()))
            .orElseThrow()
            .web();

    prometheus =
        new FakePrometheus()
            .answer(
                "hostgroup:planet_upstream:count",
                "local_node=web remote_node=api port=8080 protocol=tcp process_name=nginx -> 1");
    server =
        MapServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            new GraphService(new PrometheusClient(prometheus.uri(), TIMEOUT), TIMEOUT),
            web);
    trusting = HttpClient.newBuilder().sslContext(trusting(dir.resolve("map.crt"))).build();
  }

  @AfterEach
  void stop() {
    server.close();
    prometheus.close();
  }

  private static SSLContext trusting(Path certificate) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      store.setCertificateEntry(
          "map", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  private HttpResponse<String> get(String scheme, String path, String user)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(scheme + "://127.0.0.1:" + server.address().getPort() + path))
            .timeout(TIMEOUT);
    if (user != null) {
      request.header(
          "Authorization", "Basic " + Base64.getEncoder().encodeToString(user.getBytes(UTF_8)));
    }
    return trusting.send(request.build(), BodyHandlers.ofString(UTF_8));
  }

  @Test
  void servesAnAuthenticatedUserOverTls() throws Exception {
    HttpResponse<String> response = get("https", "/api/graph", "sre:pw");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"id\":\"web->api:8080/tcp\"");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  @Test
  void refusesAnonymousAndWrongPasswordsOnEveryPath() throws Exception {
    for (String path :
        List.of("/", "/api/graph", "/api/graph.dot", "/-/healthy", "/static/map.js")) {
      for (String user : new String[] {null, "sre:wrong", "nobody:pw"}) {
        HttpResponse<String> response = get("https", path, user);
        assertThat(response.statusCode()).as(path + " as " + user).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      }
    }
    // Nothing was asked of Prometheus for the refused requests.
    assertThat(prometheus.queries()).isEmpty();
  }

  @Test
  void speaksNoPlainHttp() {
    assertThatThrownBy(() -> get("http", "/api/graph", "sre:pw")).isInstanceOf(IOException.class);
  }

  @Test
  void aBadWebConfigIsOneLine() throws IOException {
    Files.writeString(dir.resolve("bad.yml"), "basic_auth_users:\n  sre: notahash\n");

    assertThatThrownBy(
            () -> MapCommandLine.parse(List.of("-web.config.file=" + dir.resolve("bad.yml"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("-web.config.file");
  }
}
