package io.planetexporter.map;

import static io.planetexporter.testfixtures.TestHttpClient.basic;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.testfixtures.TestHttpClient;
import io.planetexporter.testfixtures.TestPki;
import io.planetexporter.web.WebFront;
import io.planetexporter.web.WebSecurity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * planet-map with planet-exporter's {@code -web.config.file}: TLS and basic auth from the same file
 * format, read by the same code, with a certificate of {@link TestPki}.
 */
class MapWebConfigTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @TempDir Path dir;
  private FakePrometheus prometheus;
  private MapServer server;
  private TestHttpClient trusting;

  @BeforeEach
  void start() throws Exception {
    TestPki.Issued ca = TestPki.ca("test-ca");
    TestPki.leaf(ca, "planet-map", TestPki.ec()).write(dir, "map", true);
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
            FakePrometheus.graphs(prometheus.uri(), TIMEOUT),
            web,
            WebFront.CONNECTIONS_PER_ADDRESS);
    trusting = TestHttpClient.trusting(TestPki.anonymous(ca)).timeout(TIMEOUT);
  }

  @AfterEach
  void stop() {
    server.close();
    prometheus.close();
  }

  private HttpResponse<String> get(String scheme, String path, String user)
      throws IOException, InterruptedException {
    URI uri = URI.create(scheme + "://127.0.0.1:" + server.address().getPort() + path);
    return user == null ? trusting.get(uri) : trusting.get(uri, "Authorization", basic(user));
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
