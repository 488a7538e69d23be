package io.planetexporter.web;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.testfixtures.TestPki;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The front over TLS as the exporter-toolkit serves it. */
@Timeout(30)
class WebFrontTlsTest {

  @TempDir Path dir;

  /**
   * The certificate names {@code localhost}; Prometheus scraping by IP (with {@code
   * tls_config.server_name}) or through another name sends that in Host, and is answered.
   */
  @ParameterizedTest
  @ValueSource(strings = {"localhost", "198.18.0.7:19100", "exporter.example"})
  void answersWhateverHostTheRequestNames(String host) throws Exception {
    SSLContext client = TestPki.writeServerAndClient(dir);
    Path file = dir.resolve("web.yml");
    Files.writeString(
        file, "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n");
    try (WebFront front =
            WebFront.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                WebSecurity.load(file),
                Routes.builder().exact("/-/healthy", Endpoint.HEALTHY).build(),
                WebFront.CONNECTIONS_PER_ADDRESS,
                () -> {});
        SSLSocket socket =
            (SSLSocket)
                client
                    .getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), front.address().getPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("GET /-/healthy HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                  .getBytes(US_ASCII));

      assertThat(new String(socket.getInputStream().readAllBytes(), US_ASCII))
          .startsWith("HTTP/1.1 200")
          .endsWith("\r\n\r\nOK\n");
    }
  }
}
