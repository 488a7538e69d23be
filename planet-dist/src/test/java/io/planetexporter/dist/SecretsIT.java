package io.planetexporter.dist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.planetexporter.testfixtures.Distribution;
import io.planetexporter.testfixtures.ExporterProcess;
import io.planetexporter.testfixtures.TestPki;
import io.planetexporter.tls.Pem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An inventory URL with a user, a password and a {@code ?token=}: the inventory service sees them
 * as basic auth and the query, and neither the password nor the token shows in the log (at debug
 * level, while the source fails and after) or on the landing page. And an inventory service that
 * wants a client certificate gets the task's, verified against the task's own CA.
 */
@Timeout(120)
class SecretsIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String PASSWORD = "pa55-w0rd-secret";
  private static final String TOKEN = "t0ken-secret-42";

  @Test
  void sendsTheCredentialsAndNeverShowsThem() throws IOException {
    AtomicBoolean healthy = new AtomicBoolean(false);
    AtomicReference<String> seen = new AtomicReference<>("");
    String expected =
        "Basic " + Base64.getEncoder().encodeToString(("inventory:" + PASSWORD).getBytes(UTF_8));
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/inventory.json",
        exchange -> {
          try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String query = exchange.getRequestURI().getRawQuery();
            seen.set(authorization + " " + query);
            boolean allowed = expected.equals(authorization) && ("token=" + TOKEN).equals(query);
            byte[] body =
                "[{\"ip_address\":\"198.18.0.1\",\"domain\":\"a.example\",\"hostgroup\":\"g\"}]"
                    .getBytes(UTF_8);
            int status = !healthy.get() ? 503 : allowed ? 200 : 401;
            exchange.sendResponseHeaders(status, status == 200 ? body.length : -1);
            if (status == 200) {
              exchange.getResponseBody().write(body);
            }
          }
        });
    server.start();
    try (ExporterProcess exporter =
        ExporterProcess.start(
            "-log-level=debug",
            "-task-socketstat-enabled=false",
            "-task-inventory-enabled",
            "-task-inventory-interval=1s",
            "-task-inventory-addr=http://inventory:"
                + PASSWORD
                + "@127.0.0.1:"
                + server.getAddress().getPort()
                + "/inventory.json?token="
                + TOKEN)) {
      exporter.awaitScrape(m -> m.contains(success(0)), PATIENCE);
      exporter.awaitStderr("HTTP 503", PATIENCE);
      String failingPage = exporter.get("/").body();
      assertThat(failingPage).contains("HTTP 503", "token=***");

      healthy.set(true);
      exporter.awaitScrape(m -> m.contains(success(1)), PATIENCE);

      assertThat(seen.get()).isEqualTo(expected + " token=" + TOKEN);
      String page = exporter.get("/").body();
      for (String text : new String[] {exporter.stderr(), failingPage, page}) {
        assertThat(text).doesNotContain(PASSWORD).doesNotContain(TOKEN);
      }
      assertThat(exporter.stderr()).contains("token=***");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void fetchesTheInventoryOverMutualTlsWithItsOwnCa() throws Exception {
    Path dir = Files.createTempDirectory("planet-mtls-");
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    try {
      TestPki.writeServerAndClient(dir);
      server.setHttpsConfigurator(
          new HttpsConfigurator(serverContext(dir)) {
            @Override
            public void configure(HttpsParameters params) {
              SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
              parameters.setNeedClientAuth(true);
              params.setSSLParameters(parameters);
            }
          });
      AtomicReference<String> client = new AtomicReference<>("");
      server.createContext(
          "/inventory.json",
          exchange -> {
            try (exchange) {
              client.set(((HttpsExchange) exchange).getSSLSession().getPeerPrincipal().getName());
              byte[] body = "[]".getBytes(UTF_8);
              exchange.sendResponseHeaders(200, body.length);
              exchange.getResponseBody().write(body);
            }
          });
      server.start();
      try (ExporterProcess exporter =
          ExporterProcess.start(
              "-task-socketstat-enabled=false",
              "-task-inventory-enabled",
              "-task-inventory-interval=1s",
              "-task-inventory-addr=https://127.0.0.1:"
                  + server.getAddress().getPort()
                  + "/inventory.json",
              "-task-inventory-tls-ca-file=" + dir.resolve("ca.crt"),
              "-task-inventory-tls-cert-file=" + dir.resolve("client.crt"),
              "-task-inventory-tls-key-file=" + dir.resolve("client.key"))) {
        exporter.awaitScrape(m -> m.contains(success(1)), PATIENCE);
        assertThat(client.get()).isEqualTo("CN=prometheus");
      }
    } finally {
      server.stop(0);
      Distribution.deleteRecursively(dir);
    }
  }

  /**
   * The server side of the inventory service: its certificate and key, read as the exporter does.
   */
  private static SSLContext serverContext(Path dir) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "server",
        Pem.privateKey(Files.readString(dir.resolve("server.key"))),
        new char[0],
        Pem.certificates(Files.readString(dir.resolve("server.crt")))
            .toArray(new X509Certificate[0]));
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry(
        "ca", Pem.certificates(Files.readString(dir.resolve("ca.crt"))).get(0));
    KeyManagerFactory keys = KeyManagerFactory.getInstance("SunX509");
    keys.init(store, new char[0]);
    TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }

  private static String success(int value) {
    return "planet_scrape_collector_success{collector=\"inventory\"} " + value;
  }
}
