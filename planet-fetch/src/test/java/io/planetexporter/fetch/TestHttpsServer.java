package io.planetexporter.fetch;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A real HTTPS server on {@code 127.0.0.1:0} with a fresh self-signed certificate (SAN {@code
 * ip:127.0.0.1}) made by {@code keytool}, answering every path with 200 and the given body.
 *
 * <pre>{@code
 * try (TestHttpsServer server = TestHttpsServer.start(dir, "[]")) {
 *   fetcher.fetch(server.uri("/inventory.json")); // fails: nobody trusts the certificate
 *   // a JVM started with -Djavax.net.ssl.trustStore=<server.truststore()> trusts it
 * }
 * }</pre>
 */
public final class TestHttpsServer implements AutoCloseable {

  /** The password of both the keystore and the truststore. */
  public static final String PASSWORD = "changeit";

  private final HttpsServer server;
  private final Path truststore;

  private TestHttpsServer(HttpsServer server, Path truststore) {
    this.server = server;
    this.truststore = truststore;
  }

  /**
   * Generates the keystore and truststore in {@code dir} and starts serving {@code body}.
   *
   * @throws IOException if keytool fails or the server cannot bind
   */
  public static TestHttpsServer start(Path dir, String body)
      throws IOException, GeneralSecurityException, InterruptedException {
    Path keystore = dir.resolve("self-signed.p12");
    Path truststore = dir.resolve("truststore.p12");
    Path certificate = dir.resolve("self-signed.crt");
    keytool(
        "-genkeypair",
        "-keystore",
        keystore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD,
        "-alias",
        "test",
        "-keyalg",
        "EC",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1",
        "-validity",
        "2");
    keytool(
        "-exportcert",
        "-keystore",
        keystore.toString(),
        "-storepass",
        PASSWORD,
        "-alias",
        "test",
        "-file",
        certificate.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-keystore",
        truststore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD,
        "-alias",
        "test",
        "-file",
        certificate.toString());

    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("SunX509");
    keyManagers.init(keys, PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keyManagers.getKeyManagers(), null, null);

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

  /** A PKCS12 truststore (password {@link #PASSWORD}) holding only this server's certificate. */
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

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + output);
    }
  }
}
