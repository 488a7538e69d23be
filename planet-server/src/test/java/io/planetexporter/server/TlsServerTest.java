package io.planetexporter.server;

import static io.planetexporter.testfixtures.TestHttpClient.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.testfixtures.TestHttpClient;
import io.planetexporter.testfixtures.TestPki;
import io.planetexporter.web.WebSecurity;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class TlsServerTest {

  @TempDir static Path dir;
  private static TestPki.Issued ca;
  private static TestPki.Issued client;

  @BeforeAll
  static void certificates() throws Exception {
    ca = TestPki.ca("test-ca");
    client = TestPki.leaf(ca, "prometheus", TestPki.ec());
    TestPki.leaf(ca, "first", TestPki.ec()).write(dir, "server", false);
    Files.writeString(dir.resolve("ca.crt"), TestPki.pem(ca.certificate()));
  }

  private static WebSecurity web(String extra) throws Exception {
    Path file = Files.createTempFile(dir, "web", ".yml");
    Files.writeString(
        file, "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n" + extra);
    return WebSecurity.load(file);
  }

  private static HttpResponse<String> get(SSLContext tls, int port, String path, String auth)
      throws Exception {
    URI uri = URI.create("https://localhost:" + port + path);
    TestHttpClient http = TestHttpClient.trusting(tls).timeout(Duration.ofSeconds(10));
    return auth == null ? http.get(uri) : http.get(uri, "Authorization", basic(auth));
  }

  @Test
  void wantsAVerifiedClientCertificateAndAUserOnEveryPath() throws Exception {
    String hash =
        OpenBSDBCrypt.generate(
            "2y", "pw".toCharArray(), "0123456789abcdef".getBytes(StandardCharsets.UTF_8), 4);
    WebSecurity web =
        web(
            "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n"
                + "basic_auth_users:\n  prom: '"
                + hash
                + "'\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\n");
    try (TestServers.Running server = TestServers.start(web, new PrometheusRegistry())) {
      SSLContext withCert = client.context(ca);

      HttpResponse<String> ok = get(withCert, server.port(), "/metrics", "prom:pw");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.headers().firstValue("X-Frame-Options")).contains("deny");

      for (String path : new String[] {"/metrics", "/-/healthy", "/-/ready", "/", "/nope"}) {
        HttpResponse<String> refused = get(withCert, server.port(), path, "prom:wrong");
        assertThat(refused.statusCode()).as(path).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(refused.headers().firstValue("X-Frame-Options")).contains("deny");
      }
      assertThat(get(withCert, server.port(), "/metrics", null).statusCode()).isEqualTo(401);
      assertThat(get(withCert, server.port(), "/metrics", "nobody:pw").statusCode()).isEqualTo(401);

      assertThatThrownBy(() -> get(TestPki.anonymous(ca), server.port(), "/metrics", "prom:pw"))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void refusesAClientOfferingOnlyTls12WhenTls13IsTheMinimum() throws Exception {
    try (TestServers.Running server =
        TestServers.start(web("  min_version: TLS13\n"), new PrometheusRegistry())) {
      assertThat(
              handshake(TestPki.anonymous(ca), server.port(), "TLSv1.3")
                  .getSubjectX500Principal()
                  .getName())
          .isEqualTo("CN=first");
      assertThatThrownBy(() -> handshake(TestPki.anonymous(ca), server.port(), "TLSv1.2"))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void negotiatesOnlyTheConfiguredTls12CipherSuiteByItsGoName() throws Exception {
    WebSecurity web =
        web(
            "  max_version: TLS12\n  cipher_suites:\n"
                + "    - TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305\n");
    try (TestServers.Running server = TestServers.start(web, new PrometheusRegistry())) {
      try (SSLSocket socket =
          (SSLSocket)
              TestPki.anonymous(ca)
                  .getSocketFactory()
                  .createSocket(InetAddress.getLoopbackAddress(), server.port())) {
        socket.setSoTimeout(5000);
        socket.startHandshake();
        assertThat(socket.getSession().getCipherSuite())
            .isEqualTo("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
        assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
      }
    }
  }

  @Test
  void servesARotatedCertificateWithoutARestart() throws Exception {
    Path rotating = Files.createTempDirectory(dir, "rotating");
    TestPki.leaf(ca, "first", TestPki.rsa()).write(rotating, "server", true);
    Path file = rotating.resolve("web.yml");
    Files.writeString(
        file, "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n");
    try (TestServers.Running server =
        TestServers.start(WebSecurity.load(file), new PrometheusRegistry())) {
      assertThat(subject(server.port())).isEqualTo("CN=first");

      TestPki.leaf(ca, "second", TestPki.ec()).write(rotating, "server", false);

      String seen = "";
      for (int i = 0; i < 100 && !seen.equals("CN=second"); i++) {
        Thread.sleep(100);
        seen = subject(server.port());
      }
      assertThat(seen).isEqualTo("CN=second");
    }
  }

  private static String subject(int port) throws Exception {
    return handshake(TestPki.anonymous(ca), port, "TLSv1.3").getSubjectX500Principal().getName();
  }

  private static X509Certificate handshake(SSLContext context, int port, String protocol)
      throws Exception {
    try (SSLSocket socket =
        (SSLSocket)
            context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(5000);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setProtocols(new String[] {protocol});
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }
}
