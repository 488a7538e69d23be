package io.planetexporter.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.testfixtures.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebSecurityTest {

  @TempDir static Path dir;
  private static TestPki.Issued ca;

  @BeforeAll
  static void certificates() throws Exception {
    ca = TestPki.ca("test-ca");
    TestPki.leaf(ca, "rsa", TestPki.rsa()).write(dir, "rsa", false);
    TestPki.leaf(ca, "rsa8", TestPki.rsa()).write(dir, "rsa8", true);
    TestPki.leaf(ca, "ec", TestPki.ec()).write(dir, "ec", false);
    TestPki.leaf(ca, "ec8", TestPki.ec()).write(dir, "ec8", true);
    Files.writeString(dir.resolve("ca.crt"), TestPki.pem(ca.certificate()));
  }

  private static WebSecurity load(String yaml) throws Exception {
    Path file = Files.createTempFile(dir, "web", ".yml");
    Files.writeString(file, yaml);
    return WebSecurity.load(file);
  }

  private static void assertRefused(String yaml, String message) {
    assertThatThrownBy(() -> load(yaml))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @ParameterizedTest
  @CsvSource({"rsa", "rsa8", "ec", "ec8"})
  void readsRsaAndEcKeysInPkcs1AndPkcs8WithPathsRelativeToTheFile(String name) throws Exception {
    WebSecurity web =
        load(
            """
            tls_server_config:
              cert_file: %s.crt
              key_file: %s.key
            """
                .formatted(name, name));

    assertThat(web.tls()).isPresent();
    assertThat(web.users()).isEmpty();
  }

  @Test
  void readsInlineCertificateAndKey() throws Exception {
    String cert = Files.readString(dir.resolve("ec.crt")).indent(4);
    String key = Files.readString(dir.resolve("ec.key")).indent(4);

    WebSecurity web = load("tls_server_config:\n  cert: |\n" + cert + "  key: |\n" + key);

    assertThat(web.tls()).isPresent();
  }

  @Test
  void refusesAnUnknownKeyNamingIt() {
    assertRefused(
        "tls_server_config:\n  cert_file: rsa.crt\n  key_file: rsa.key\n  cert_flie: x\n",
        "unknown key \"tls_server_config.cert_flie\"");
    assertRefused("basic_auth_user:\n  a: b\n", "unknown key \"basic_auth_user\"");
  }

  @Test
  void refusesAKeyThatIsNotTheCertificates() {
    assertRefused(
        "tls_server_config:\n  cert_file: rsa.crt\n  key_file: rsa8.key\n",
        "tls_server_config.key_file");
    assertRefused(
        "tls_server_config:\n  cert_file: rsa.crt\n  key_file: rsa8.key\n",
        "does not match the certificate");
  }

  @Test
  void refusesAnUnreadableFileNamingTheKey() {
    assertRefused(
        "tls_server_config:\n  cert_file: missing.crt\n  key_file: rsa.key\n",
        "tls_server_config.cert_file");
    assertRefused(
        "tls_server_config:\n  cert_file: rsa.crt\n  key_file: rsa.crt\n", "no PEM private key");
  }

  @Test
  void refusesABadHashAndTheToolkitsInconsistentCombinations() {
    assertRefused("basic_auth_users:\n  alice: notahash\n", "basic_auth_users.alice");
    assertRefused(
        "tls_server_config:\n  cert_file: rsa.crt\n  key_file: rsa.key\n"
            + "  client_auth_type: RequireAndVerifyClientCert\n",
        "client_ca_file: required");
    assertRefused(
        "tls_server_config:\n  cert_file: rsa.crt\n  key_file: rsa.key\n"
            + "  client_ca_file: ca.crt\n",
        "client_auth_type is NoClientCert");
    assertRefused(
        "tls_server_config:\n  cert_file: rsa.crt\n  key_file: rsa.key\n"
            + "  client_auth_type: Sometimes\n",
        "client_auth_type: unknown value \"Sometimes\"");
    assertRefused(
        "tls_server_config:\n  cert_file: rsa.crt\n  key_file: rsa.key\n  min_version: TLS14\n",
        "min_version: unknown version");
    assertRefused(
        "tls_server_config:\n  cert_file: rsa.crt\n  key_file: rsa.key\n"
            + "  cipher_suites: [TLS_NOPE]\n",
        "cipher_suites: \"TLS_NOPE\" is not supported");
    assertRefused(
        "tls_server_config:\n  cert_file: rsa.crt\n  key_file: rsa.key\n"
            + "  curve_preferences: [X25519MLKEM768]\n",
        "curve_preferences");
    assertRefused(
        "http_server_config:\n  headers:\n    X-Powered-By: me\n", "headers.X-Powered-By");
    assertRefused(
        "http_server_config:\n  headers:\n    X-Frame-Options: allow\n", "X-Frame-Options");
  }

  @Test
  void keepsTheToolkitsHeadersAndDropsBlankOnes() throws Exception {
    WebSecurity web =
        load(
            """
            http_server_config:
              http2: true
              headers:
                X-Frame-Options: deny
                X-Content-Type-Options: nosniff
                Content-Security-Policy: ""
            """);

    assertThat(web.headers())
        .containsOnly(
            org.assertj.core.api.Assertions.entry("X-Frame-Options", "deny"),
            org.assertj.core.api.Assertions.entry("X-Content-Type-Options", "nosniff"));
  }

  @Test
  void anEmptyFileChangesNothing() throws Exception {
    WebSecurity web = load("");

    assertThat(web.tls()).isEmpty();
    assertThat(web.users()).isEmpty();
    assertThat(web.headers()).isEmpty();
  }
}
