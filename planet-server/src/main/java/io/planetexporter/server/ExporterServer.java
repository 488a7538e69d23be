package io.planetexporter.server;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.GoDuration;
import io.planetexporter.collector.Crew;
import io.planetexporter.collector.TaskStatus;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.HttpErrorHandlingPolicy;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The HTTP server: {@code /metrics}, the landing page {@code /}, {@code /-/healthy} and {@code
 * /-/ready}; 404 for any other path, 405 for methods other than GET and HEAD, and never a stack
 * trace in a response.
 *
 * <p>It is the JDK's server with client_java's {@link MetricsHandler} mounted on it, built from
 * explicit {@link PrometheusProperties}: client_java's own {@code HTTPServer} lets environment
 * variables and system properties override the port and answers every path with 200.
 */
final class ExporterServer implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(ExporterServer.class.getName());
  private static final int STOP_GRACE_SECONDS = 5;
  private static final int THREADS = 4;

  private final HttpServer server;
  private final ExecutorService executor;
  private final Router router;

  private ExporterServer(HttpServer server, ExecutorService executor, Router router) {
    this.server = server;
    this.executor = executor;
    this.router = router;
  }

  /**
   * client_java's exporter settings, fixed here so that nothing outside changes them.
   *
   * @throws ConfigurationException when client_java refuses to load at all: the first use of {@link
   *     PrometheusProperties} reads {@code PROMETHEUS_CONFIG}, {@code IO_PROMETHEUS_*} variables
   *     and {@code io.prometheus.*} properties, and fails on a value it cannot read
   */
  static PrometheusProperties prometheusProperties() throws ConfigurationException {
    try {
      return PrometheusProperties.builder().build();
    } catch (ExceptionInInitializerError e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new ConfigurationException(
          "client_java cannot start with the PROMETHEUS_CONFIG, IO_PROMETHEUS_* or io.prometheus.*"
              + " settings of this environment (unset them): "
              + cause.getMessage(),
          e);
    }
  }

  /** Binds the address and starts serving. */
  static ExporterServer start(
      InetSocketAddress address,
      PrometheusProperties properties,
      PrometheusRegistry registry,
      Crew crew,
      BuildInfo build)
      throws IOException {
    HttpServer server = HttpServer.create(address, 64);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            THREADS, runnable -> new Thread(runnable, "http-" + threads.incrementAndGet()));
    MetricsHandler metrics =
        new MetricsHandler(
            properties,
            registry,
            HttpErrorHandlingPolicy.builder()
                .unsafeDebugResponse(false)
                .errorReporter(
                    e -> {
                      LogRecord record = new LogRecord(Level.WARNING, "scrape failed");
                      record.setThrown(e);
                      record.setLoggerName(logger.getName());
                      logger.log(record);
                    })
                .build());
    Router router = new Router(metrics, crew, build);
    server.createContext("/", router);
    server.setExecutor(executor);
    server.start();
    return new ExporterServer(server, executor, router);
  }

  /** The bound address, with the actual port. */
  InetSocketAddress address() {
    return server.getAddress();
  }

  /** {@code host:port}, IPv6 hosts in brackets and in RFC 5952 form ({@code [::1]:19100}). */
  static String format(InetSocketAddress address) {
    return HostAndPort.fromParts(
            InetAddresses.toAddrString(address.getAddress()), address.getPort())
        .toString();
  }

  /** Stops accepting, lets the requests in flight finish (a few seconds at most), then stops. */
  @Override
  public void close() {
    // The JDK 17 server's stop(n) waits the whole n seconds unless an exchange ends meanwhile.
    server.stop(router.inFlight.get() > 0 ? STOP_GRACE_SECONDS : 0);
    executor.shutdown();
    try {
      executor.awaitTermination(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Router implements HttpHandler {

    private final HttpHandler metrics;
    private final Crew crew;
    private final BuildInfo build;
    private final AtomicInteger inFlight = new AtomicInteger();

    Router(HttpHandler metrics, Crew crew, BuildInfo build) {
      this.metrics = metrics;
      this.crew = crew;
      this.build = build;
    }

    @Override
    public void handle(HttpExchange exchange) {
      inFlight.incrementAndGet();
      try (exchange) {
        route(exchange);
      } catch (IOException | RuntimeException e) {
        LogRecord record = new LogRecord(Level.FINE, "request failed");
        record.setParameters(new Object[] {"path", exchange.getRequestURI().getPath()});
        record.setThrown(e);
        record.setLoggerName(logger.getName());
        logger.log(record);
        try {
          respond(exchange, 500, "text/plain; charset=utf-8", "internal error\n");
        } catch (IOException | RuntimeException ignored) {
          // the response had already begun; the client sees a cut connection
        }
      } finally {
        inFlight.decrementAndGet();
      }
    }

    private void route(HttpExchange exchange) throws IOException {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      switch (path) {
        case "/metrics" -> metrics.handle(exchange);
        case "/" -> respond(exchange, 200, "text/html; charset=utf-8", landingPage());
        case "/-/healthy" -> respond(exchange, 200, "text/plain; charset=utf-8", "OK\n");
        case "/-/ready" -> ready(exchange);
        default -> respond(exchange, 404, "text/plain; charset=utf-8", "404 page not found\n");
      }
    }

    private void ready(HttpExchange exchange) throws IOException {
      if (crew.ready()) {
        respond(exchange, 200, "text/plain; charset=utf-8", "OK\n");
        return;
      }
      List<String> waiting =
          crew.statuses().stream()
              .filter(s -> !s.completedFirstRun())
              .map(TaskStatus::name)
              .toList();
      respond(
          exchange,
          503,
          "text/plain; charset=utf-8",
          "waiting for the first run of: " + String.join(", ", waiting) + "\n");
    }

    private String landingPage() {
      StringBuilder html = new StringBuilder();
      html.append("<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\">")
          .append("<title>planet-exporter</title></head>\n<body>\n<h1>planet-exporter</h1>\n")
          .append("<p>Version ")
          .append(escape(build.version()))
          .append(" (branch ")
          .append(escape(build.branch()))
          .append(", revision ")
          .append(escape(build.revision()))
          .append("), Java ")
          .append(escape(build.javaVersion()))
          .append("</p>\n<p>Host ")
          .append(escape(crew.host().hostname()))
          .append(", primary IP ")
          .append(InetAddresses.toAddrString(crew.host().primaryIp()))
          .append("</p>\n<p><a href=\"/metrics\">Metrics</a></p>\n<h2>Tasks</h2>\n");
      List<TaskStatus> statuses = crew.statuses();
      if (statuses.isEmpty()) {
        html.append("<p>No task is enabled.</p>\n");
      } else {
        html.append("<table>\n<tr><th>Task</th><th>Interval</th><th>Last run</th>")
            .append("<th>Took</th><th>Status</th></tr>\n");
        Instant now = Instant.now();
        for (TaskStatus status : statuses) {
          html.append("<tr><td>")
              .append(escape(status.name()))
              .append("</td><td>")
              .append(GoDuration.format(status.interval()))
              .append("</td><td>")
              .append(
                  status
                      .lastRunEnd()
                      .map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString())
                      .orElse("never"))
              .append("</td><td>")
              .append(GoDuration.format(status.lastRunDuration().truncatedTo(ChronoUnit.MILLIS)))
              .append("</td><td>")
              .append(escape(describe(status, now)))
              .append(note(crew.statusNote(status.name())))
              .append("</td></tr>\n");
        }
        html.append("</table>\n");
      }
      html.append("</body>\n</html>\n");
      return html.toString();
    }

    private static String describe(TaskStatus status, Instant now) {
      if (status.overdue(now)) {
        return "overdue: running since " + status.runningSince().orElseThrow();
      }
      if (!status.completedFirstRun()) {
        return "first run in progress";
      }
      return status.lastRunSucceeded() ? "ok" : "failed: " + status.lastError();
    }

    private static String note(String note) {
      return note.isEmpty() ? "" : " (" + escape(note) + ")";
    }

    private static String escape(String text) {
      return text.replace("&", "&amp;")
          .replace("<", "&lt;")
          .replace(">", "&gt;")
          .replace("\"", "&quot;");
    }

    private static void respond(HttpExchange exchange, int status, String type, String body)
        throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      if (exchange.getRequestMethod().equals("HEAD")) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
