package io.planetexporter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.testfixtures.TestHttpClient;
import io.planetexporter.testfixtures.TestPki;
import io.planetexporter.web.WebSecurity;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The toolkit's five {@code client_auth_type} values, each with Go's meaning. */
@Timeout(60)
class ClientAuthTypesTest {

  @TempDir static Path dir;
  private static TestPki.Issued ca;
  private static SSLContext trusted;
  private static SSLContext stranger;
  private static SSLContext anonymous;

  @BeforeAll
  static void certificates() throws Exception {
    ca = TestPki.ca("test-ca");
    TestPki.Issued otherCa = TestPki.ca("other-ca");
    TestPki.leaf(ca, "server", TestPki.ec()).write(dir, "server", true);
    Files.writeString(dir.resolve("ca.crt"), TestPki.pem(ca.certificate()));
    trusted = TestPki.leaf(ca, "client", TestPki.ec()).context(ca);
    // Signed by a CA the server does not know; the client still trusts the server's CA.
    stranger = TestPki.leaf(otherCa, "stranger", TestPki.ec()).context(ca);
    anonymous = TestPki.anonymous(ca);
  }

  private static boolean served(int port, SSLContext client) throws Exception {
    try {
      HttpResponse<String> response =
          TestHttpClient.trusting(client)
              .timeout(Duration.ofSeconds(10))
              .get(URI.create("https://localhost:" + port + "/-/healthy"));
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  @ParameterizedTest
  @CsvSource({
    // type, CA, no certificate, unknown CA's, trusted
    "NoClientCert,               false, true,  true,  true",
    "RequestClientCert,          false, true,  true,  true",
    "RequireAnyClientCert,       false, false, true,  true",
    "VerifyClientCertIfGiven,    true,  true,  false, true",
    "RequireAndVerifyClientCert, true,  false, false, true",
  })
  void servesTheClientsTheToolkitWould(
      String type, boolean withCa, boolean none, boolean unknown, boolean known) throws Exception {
    Path file = Files.createTempFile(dir, "web", ".yml");
    Files.writeString(
        file,
        "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
            + "  client_auth_type: "
            + type
            + "\n"
            + (withCa ? "  client_ca_file: ca.crt\n" : ""));
    try (TestServers.Running server =
        TestServers.start(WebSecurity.load(file), new PrometheusRegistry())) {
      assertThat(served(server.port(), anonymous)).as("no certificate").isEqualTo(none);
      assertThat(served(server.port(), stranger)).as("unknown CA's").isEqualTo(unknown);
      assertThat(served(server.port(), trusted)).as("trusted").isEqualTo(known);
    }
  }

  @ParameterizedTest
  @CsvSource({"RequireAnyClientCert, false", "RequireAndVerifyClientCert, true"})
  void refusesACertificateWithoutAnAllowedSan(String type, boolean withCa) throws Exception {
    Path file = Files.createTempFile(dir, "web", ".yml");
    Files.writeString(
        file,
        "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
            + "  client_auth_type: "
            + type
            + "\n"
            + (withCa ? "  client_ca_file: ca.crt\n" : "")
            + "  client_allowed_sans: [client]\n");
    try (TestServers.Running server =
        TestServers.start(WebSecurity.load(file), new PrometheusRegistry())) {
      assertThat(served(server.port(), trusted)).isTrue(); // its SANs include "client"
      assertThat(served(server.port(), stranger)).isFalse();
    }
    assertThatThrownBy(
            () ->
                WebSecurity.load(
                    Files.writeString(
                        dir.resolve("sans.yml"),
                        "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                            + "  client_allowed_sans: [client]\n")))
        .hasMessageContaining("client_allowed_sans");
  }
}
