package io.planetexporter.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.testfixtures.Mutations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Any {@code -web.config.file} is read or refused with a {@link ConfigurationException} naming the
 * file, never another exception or a hang. Tries: {@code jqwik.tries.default} in
 * src/test/resources/junit-platform.properties; docs/architecture.md#tests gives the longer run for
 * a release.
 */
class WebConfigFilePropertiesTest {

  private static final byte[] CONFIG =
      """
      tls_server_config:
        cert_file: /etc/planet-exporter/server.crt
        key_file: /etc/planet-exporter/server.key
        client_auth_type: RequireAndVerifyClientCert
        client_ca_file: /etc/planet-exporter/ca.crt
        client_allowed_sans: ["prometheus.example", 'scraper']
        min_version: TLS12
        max_version: TLS13
        cipher_suites: [TLS_AES_128_GCM_SHA256]
        prefer_server_cipher_suites: true
        curve_preferences: [X25519, CurveP256]
      http_server_config:
        http2: false
        headers:
          X-Frame-Options: deny
      basic_auth_users:
        alice: $2y$10$M5YmMcKtkJS/ZGUuZ3x0Uu.xvp8ldJBWV3e1nBPD7tYBZvWhXNyoS
        "bob smith": &hash $2y$10$abc
        carol: *hash
      rate_limit:
        interval: 1s
        burst: 10
      """
          .getBytes(UTF_8);

  private static final Duration HANG = Duration.ofSeconds(10);

  private static Path dir;

  @BeforeContainer
  static void createDirectory() throws IOException {
    dir = Files.createTempDirectory("web-config-properties");
  }

  @AfterContainer
  static void deleteDirectory() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(dir);
  }

  @Property
  void randomBytesAreReadOrRefusedNamingTheFile(@ForAll @Size(max = 600) byte[] config)
      throws IOException {
    readOrRefused(config);
  }

  @Property
  void damagedConfigsAreReadOrRefusedNamingTheFile(@ForAll long seed) throws IOException {
    readOrRefused(Mutations.of(CONFIG, new Random(seed), 8));
  }

  private static void readOrRefused(byte[] config) throws IOException {
    Path file = Files.write(dir.resolve("web.yml"), config);
    assertTimeoutPreemptively(
        HANG,
        () -> {
          try {
            WebConfigFile.read(file);
          } catch (ConfigurationException e) {
            assertThat(e.getMessage()).startsWith("-web.config.file: " + file + ": ");
          }
        });
  }
}
