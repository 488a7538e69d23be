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
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's single-node {@code victoria-metrics} on a free loopback port, its storage in a temporary
 * directory that {@link #close()} deletes. History goes in through {@link #importText} (the
 * Prometheus text format with millisecond timestamps), as a migration or vmagent would write it.
 */
final class VictoriaMetricsServer implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/bin/victoria-metrics");
  static final Path VMALERT = Path.of("/usr/bin/vmalert");
  private static final ObjectMapper json = new ObjectMapper();

  private final Process process;
  private final Path dir;
  private final URI base;
  private final TestHttpClient http = TestHttpClient.create().timeout(Duration.ofSeconds(10));

  private VictoriaMetricsServer(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.base = URI.create("http://127.0.0.1:" + port);
  }

  /** Starts it with a retention of {@code retention} (e.g. {@code 30d}) and waits until healthy. */
  static VictoriaMetricsServer start(String retention) {
    try {
      Path dir = Files.createTempDirectory("planet-victoria-");
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      Process process =
          new ProcessBuilder(
                  BINARY.toString(),
                  "-storageDataPath=" + dir.resolve("data"),
                  "-httpListenAddr=127.0.0.1:" + port,
                  "-retentionPeriod=" + retention,
                  "-search.disableCache",
                  "-loggerLevel=WARN")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("victoria-metrics.log").toFile())
              .start();
      VictoriaMetricsServer server = new VictoriaMetricsServer(process, dir, port);
      try {
        server.awaitHealthy(Duration.ofSeconds(30));
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + BINARY, e);
    }
  }

  /** The base URL of its Prometheus-compatible API, e.g. {@code http://127.0.0.1:41234}. */
  URI uri() {
    return base;
  }

  /** Imports samples in the Prometheus text format, then flushes them so queries see them. */
  void importText(String text) {
    post("/api/v1/import/prometheus", text);
    flush();
  }

  /** Makes what was written so far visible to queries at once. */
  void flush() {
    post("/internal/force_flush", "");
  }

  /** The {@code data.result} of an instant query at {@code time}. */
  JsonNode query(String promql, Instant time) {
    String body =
        post(
            "/api/v1/query",
            "query=" + URLEncoder.encode(promql, UTF_8) + "&time=" + time.getEpochSecond());
    try {
      return json.readTree(body).path("data").path("result");
    } catch (IOException e) {
      throw new UncheckedIOException(body, e);
    }
  }

  /**
   * Runs Debian's {@code vmalert} in replay mode: the groups of {@code rules} evaluated over {@code
   * [from, to]} against this server, their results written back to it, one rule of a group after
   * another {@code delay} apart (the next may read what the one before wrote: it must be searchable
   * by then).
   */
  void replay(Path rules, Instant from, Instant to, Duration delay) {
    List<String> command =
        List.of(
            VMALERT.toString(),
            "-rule=" + rules,
            "-datasource.url=" + base,
            "-remoteWrite.url=" + base,
            "-remoteWrite.flushInterval=100ms",
            "-replay.timeFrom=" + from,
            "-replay.timeTo=" + to,
            "-replay.maxDatapointsPerQuery=5000",
            "-replay.rulesDelay=" + delay.toMillis() + "ms",
            "-replay.disableProgressBar",
            "-loggerLevel=WARN");
    try {
      Process vmalert = new ProcessBuilder(command).redirectErrorStream(true).start();
      vmalert.getOutputStream().close();
      String output = new String(vmalert.getInputStream().readAllBytes(), UTF_8);
      if (!vmalert.waitFor(60, TimeUnit.SECONDS)) {
        vmalert.destroyForcibly();
        throw new IllegalStateException(command + " did not end within 60s");
      }
      if (vmalert.exitValue() != 0) {
        throw new IllegalStateException(
            command + " exited with " + vmalert.exitValue() + ":\n" + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    flush();
  }

  private String post(String path, String body) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(base.resolve(path))
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8)),
              BodyHandlers.ofString(UTF_8));
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            "POST " + path + ": " + response.statusCode() + " " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException("POST " + base + path + "; log:\n" + log(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void awaitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "victoria-metrics exited with status " + process.exitValue() + ":\n" + log());
      }
      try {
        HttpResponse<Void> health =
            http.send(HttpRequest.newBuilder(base.resolve("/health")), BodyHandlers.discarding());
        if (health.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "victoria-metrics not healthy within " + timeout + ":\n" + log());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  String log() {
    try {
      return Files.readString(dir.resolve("victoria-metrics.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    PrometheusServer.stop(process, dir);
  }
}
