package io.planetexporter.dist;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.planetexporter.testfixtures.TestHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * Debian's {@code prometheus} server on a free loopback port, scraping the given targets every
 * second, with its storage in a temporary directory that {@link #close()} deletes.
 *
 * <pre>{@code
 * try (PrometheusServer prometheus = PrometheusServer.start(exporter.target())) {
 *   prometheus.awaitTargetsUp(Duration.ofSeconds(30));
 *   JsonNode series = prometheus.awaitResult("planet_hostname", Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class PrometheusServer implements AutoCloseable {

  private static final String BINARY = "/usr/bin/prometheus";
  private static final ObjectMapper json = new ObjectMapper();

  private final Process process;
  private final Path dir;

  /** The configuration it started with, to which rule files are added. */
  private final String scrapeConfig;

  private final URI base;
  private final TestHttpClient http;
  private final String[] headers;

  private PrometheusServer(
      Process process, Path dir, int port, String scrapeConfig, Optional<Web> web) {
    this.process = process;
    this.dir = dir;
    this.scrapeConfig = scrapeConfig;
    this.base = URI.create((web.isPresent() ? "https" : "http") + "://127.0.0.1:" + port);
    this.http =
        web.map(w -> TestHttpClient.trusting(w.tls()))
            .orElseGet(TestHttpClient::create)
            .timeout(Duration.ofSeconds(5));
    this.headers =
        web.map(w -> new String[] {"Authorization", w.authorization()}).orElse(new String[0]);
  }

  /**
   * Prometheus's own {@code --web.config.file} (TLS, client certificates, basic auth), and how the
   * test's own requests pass it.
   *
   * @param config the YAML, written as {@code web.yml} beside the config (its files relative to it)
   * @param tls the context the test's requests use (trusting the server, with a client certificate
   *     when the config asks for one)
   * @param authorization the {@code Authorization} header of the test's requests
   */
  public record Web(String config, SSLContext tls, String authorization) {}

  /**
   * Starts Prometheus scraping {@code targets} ({@code host:port}, path /metrics) in job {@code
   * planet} and waits until its API answers.
   */
  public static PrometheusServer start(String... targets) {
    return start(List.of(targets), "", dir -> {});
  }

  /** What to put beside the config before Prometheus starts (certificates, password files). */
  @FunctionalInterface
  public interface Setup {
    void write(Path dir) throws IOException;
  }

  /**
   * As {@link #start(String...)}, with more YAML keys of the scrape job (e.g. {@code scheme},
   * {@code tls_config}, {@code basic_auth}), indented by four spaces, and files written into the
   * config's directory first.
   */
  public static PrometheusServer start(List<String> targets, String jobOptions, Setup files) {
    return start(targets, jobOptions, files, Optional.empty());
  }

  /** As {@link #start(List, String, Setup)}, serving its API behind {@code web}. */
  public static PrometheusServer start(
      List<String> targets, String jobOptions, Setup files, Optional<Web> web) {
    try {
      Path dir = Files.createTempDirectory("planet-prometheus-");
      files.write(dir);
      String scrapeConfig = config(targets) + jobOptions;
      Files.writeString(dir.resolve("prometheus.yml"), scrapeConfig);
      int port = freePort();
      List<String> command =
          new ArrayList<>(
              List.of(
                  BINARY,
                  "--config.file=" + dir.resolve("prometheus.yml"),
                  "--storage.tsdb.path=" + dir.resolve("data"),
                  "--web.listen-address=127.0.0.1:" + port,
                  "--log.level=warn"));
      if (web.isPresent()) {
        Files.writeString(dir.resolve("web.yml"), web.get().config());
        command.add("--web.config.file=" + dir.resolve("web.yml"));
      }
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      PrometheusServer server = new PrometheusServer(process, dir, port, scrapeConfig, web);
      try {
        server.awaitReady(Duration.ofSeconds(90));
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + BINARY, e);
    }
  }

  private static String config(List<String> targets) {
    return """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: planet
            static_configs:
              - targets: [%s]
        """
        .formatted(targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", ")));
  }

  /** The base URL of its HTTP API, e.g. {@code http://127.0.0.1:41234}. */
  public URI uri() {
    return base;
  }

  /**
   * Loads {@code rules} (a rule file) into the running server: rewrites its configuration and sends
   * it SIGHUP, as an operator reloads; returns once the rule groups are loaded.
   */
  public void loadRules(Path rules, Duration timeout) {
    try {
      Files.writeString(
          dir.resolve("prometheus.yml"),
          scrapeConfig + "rule_files: ['" + rules.toAbsolutePath() + "']\n");
      Process kill =
          new ProcessBuilder("kill", "-HUP", Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start();
      kill.getInputStream().readAllBytes();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -HUP " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (api("/api/v1/rules").path("groups").size() == 0) {
      pause(deadline, "rules " + rules + " not loaded within " + timeout);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "prometheus exited with status " + process.exitValue() + ":\n" + log());
      }
      try {
        if (http.send(request("/-/ready"), BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      pause(deadline, "prometheus not ready within " + timeout);
    }
  }

  /** Waits until every target's last scrape succeeded. */
  public void awaitTargetsUp(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode targets = api("/api/v1/targets?state=active").path("activeTargets");
      boolean allUp = targets.size() > 0;
      for (JsonNode target : targets) {
        allUp &= target.path("health").asText().equals("up");
      }
      if (allUp) {
        return;
      }
      pause(deadline, "targets not up within " + timeout + ": " + targets);
    }
  }

  /**
   * An instant query.
   *
   * @return the {@code data.result} array of the answer
   */
  public JsonNode query(String promql) {
    return api("/api/v1/query?query=" + URLEncoder.encode(promql, UTF_8)).path("result");
  }

  /** Repeats {@link #query} until its result is not empty (the data may need a scrape or two). */
  public JsonNode awaitResult(String promql, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode result = query(promql);
      if (result.size() > 0) {
        return result;
      }
      pause(deadline, "no result for " + promql + " within " + timeout);
    }
  }

  /** Prometheus's own log so far. */
  public String log() {
    try {
      return Files.readString(dir.resolve("prometheus.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private JsonNode api(String pathAndQuery) {
    try {
      var response = http.send(request(pathAndQuery), BodyHandlers.ofString(UTF_8));
      JsonNode body = json.readTree(response.body());
      if (response.statusCode() != 200 || !body.path("status").asText().equals("success")) {
        throw new IllegalStateException("GET " + pathAndQuery + ": " + response.body());
      }
      return body.path("data");
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + base + pathAndQuery + "; log:\n" + log(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return http.request(base.resolve(pathAndQuery), headers);
  }

  private void pause(long deadline, String failure) {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException(failure + "; prometheus log:\n" + log());
    }
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    stop(process, dir);
  }

  /**
   * Ends a server process the test started (SIGTERM, then SIGKILL after 10 s) and deletes its
   * temporary directory.
   */
  static void stop(Process process, Path dir) {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // A leftover temp directory is harmless.
    }
  }
}
