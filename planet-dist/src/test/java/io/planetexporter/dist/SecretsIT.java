package io.planetexporter.dist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An inventory URL with a user, a password and a {@code ?token=}: the inventory service sees them
 * as basic auth and the query, and neither the password nor the token shows in the log (at debug
 * level, while the source fails and after) or on the landing page.
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
      awaitScrape(exporter, m -> m.contains(success(0)));
      exporter.awaitStderr("HTTP 503", PATIENCE);
      String failingPage = exporter.get("/").body();
      assertThat(failingPage).contains("HTTP 503", "token=***");

      healthy.set(true);
      awaitScrape(exporter, m -> m.contains(success(1)));

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

  private static String success(int value) {
    return "planet_scrape_collector_success{collector=\"inventory\"} " + value;
  }

  private static String awaitScrape(ExporterProcess exporter, Predicate<String> done) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      String metrics = exporter.scrape();
      if (done.test(metrics)) {
        return metrics;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met; stderr:\n" + exporter.stderr());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
