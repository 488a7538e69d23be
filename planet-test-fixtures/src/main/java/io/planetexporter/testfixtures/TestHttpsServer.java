package io.planetexporter.testfixtures;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;

/**
 * A real HTTPS server on {@code 127.0.0.1:0} with a fresh certificate for {@code 127.0.0.1} signed
 * by a fresh {@link TestPki} CA, answering every path with 200 and the given body.
 *
 * <pre>{@code
 * try (TestHttpsServer server = TestHttpsServer.start(dir, "[]")) {
 *   fetcher.fetch(server.uri("/inventory.json")); // fails: nobody trusts the certificate
 *   // a JVM started with -Djavax.net.ssl.trustStore=<server.truststore()> trusts it
 * }
 * }</pre>
 */
public final class TestHttpsServer implements AutoCloseable {

  /** The password of the truststore. */
  public static final String PASSWORD = "changeit";

  private final HttpsServer server;
  private final Path truststore;

  private TestHttpsServer(HttpsServer server, Path truststore) {
    this.server = server;
    this.truststore = truststore;
  }

  /**
   * Writes the truststore into {@code dir} and starts serving {@code body}.
   *
   * @throws IOException if the truststore cannot be written or the server cannot bind
   */
  public static TestHttpsServer start(Path dir, String body) throws Exception {
    TestPki.Issued ca = TestPki.ca("test-https-ca");
    TestPki.Issued leaf = TestPki.leaf(ca, "127.0.0.1", TestPki.ec());
    SSLContext tls = leaf.serverContext(ca);

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("test", ca.certificate());
    Path truststore = dir.resolve("truststore.p12");
    try (OutputStream out = Files.newOutputStream(truststore)) {
      trust.store(out, PASSWORD.toCharArray());
    }

    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    byte[] bytes = body.getBytes(UTF_8);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
          }
        });
    server.start();
    return new TestHttpsServer(server, truststore);
  }

  /** A PKCS12 truststore (password {@link #PASSWORD}) holding only the CA of this server. */
  public Path truststore() {
    return truststore;
  }

  public URI uri(String path) {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
