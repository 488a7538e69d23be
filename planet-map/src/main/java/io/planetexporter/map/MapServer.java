package io.planetexporter.map;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.planetexporter.web.Guard;
import io.planetexporter.web.Responses;
import io.planetexporter.web.WebSecurity;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The map's HTTP server: {@code /} (the page), {@code /api/graph}, {@code /api/graph.dot}, the
 * page's static files and vis-network's WebJar, {@code /-/healthy}. 404 for other paths, 405 for
 * methods other than GET and HEAD, 502 when Prometheus fails (422 when the request needs too many
 * series), never a stack trace.
 */
final class MapServer implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(MapServer.class.getName());
  private static final int THREADS = 4;
  private static final String WEBJAR = "META-INF/resources/webjars/vis-network/";
  private static final String JSON = "application/json";
  private static final String TEXT = "text/plain; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private MapServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds the address and starts serving: over https, behind basic authentication and with the
   * response headers when {@code web} (from {@code -web.config.file}) asks for them, on every path.
   */
  static MapServer start(InetSocketAddress address, GraphService graphs, WebSecurity web)
      throws IOException {
    HttpServer server = web.createServer(address, 64);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            THREADS, runnable -> new Thread(runnable, "http-" + threads.incrementAndGet()));
    String webjarVersion = webjarVersion();
    HttpContext context =
        server.createContext(
            "/",
            exchange -> {
              try (exchange) {
                new Exchange(exchange, graphs, webjarVersion).handle();
              } catch (IOException | RuntimeException e) {
                LogRecord record = new LogRecord(Level.FINE, "request failed");
                record.setThrown(e);
                record.setLoggerName(logger.getName());
                logger.log(record);
              }
            });
    // The exporter's guard first, so that a 401 carries the web config's headers too.
    context.getFilters().add(new Guard(web.headers(), new AtomicInteger()));
    context.getFilters().addAll(web.filters());
    server.setExecutor(executor);
    server.start();
    return new MapServer(server, executor);
  }

  InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** vis-network's version, from its WebJar's Maven metadata (so an upgrade is one pom change). */
  private static String webjarVersion() throws IOException {
    try (InputStream in =
        MapServer.class
            .getClassLoader()
            .getResourceAsStream("META-INF/maven/org.webjars.npm/vis-network/pom.properties")) {
      if (in == null) {
        throw new IOException("the vis-network WebJar is not on the classpath");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    }
  }

  /** One request. */
  private record Exchange(HttpExchange exchange, GraphService graphs, String webjarVersion) {

    void handle() throws IOException {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        Responses.send(exchange, 405, TEXT, "method not allowed\n");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      switch (path) {
        case "/" -> map(Format.PAGE);
        case "/api/graph" -> map(Format.JSON);
        case "/api/graph.dot" -> map(Format.DOT);
        case "/api/edge" -> edge();
        case "/-/healthy" -> Responses.send(exchange, 200, TEXT, "OK\n");
        case "/static/map.js" -> resource("static/map.js", "text/javascript; charset=utf-8");
        case "/static/map.css" -> resource("static/map.css", "text/css; charset=utf-8");
        default -> {
          if (path.startsWith("/webjars/vis-network/") && !path.contains("..")) {
            webjar(path.substring("/webjars/vis-network/".length()));
          } else {
            Responses.send(exchange, 404, TEXT, "404 page not found\n");
          }
        }
      }
    }

    private enum Format {
      PAGE,
      JSON,
      DOT
    }

    private void map(Format format) throws IOException {
      Request request;
      try {
        request = Request.parse(exchange.getRequestURI().getRawQuery());
      } catch (IllegalArgumentException e) {
        failure(format, Request.parse(null), 400, e.getMessage());
        return;
      }
      Optional<GraphService.Answer> answer;
      try {
        answer =
            request.hostgroup().isPresent()
                ? graphs.around(request.range(), request.hostgroup().get(), request.depth())
                : Optional.of(graphs.whole(request.range()));
      } catch (PrometheusException e) {
        logger.log(Level.WARNING, "cannot draw the map", new Object[] {"err", e.getMessage()});
        failure(format, request, e.status(), e.getMessage());
        return;
      }
      if (answer.isEmpty()) {
        failure(
            format,
            request,
            404,
            "no node \""
                + request.hostgroup().orElseThrow()
                + "\" in the map of the last "
                + request.rangeText());
        return;
      }
      long writing = System.nanoTime();
      byte[] body =
          switch (format) {
            case PAGE -> MapPage.render(request, answer.get()).getBytes(UTF_8);
            case JSON -> GraphJson.write(answer.get());
            case DOT -> GraphDot.write(answer.get().graph()).getBytes(UTF_8);
          };
      // Where the time went, for browsers' developer tools and bench/map.sh.
      exchange
          .getResponseHeaders()
          .set(
              "Server-Timing",
              timing("prometheus", answer.get().asking())
                  + ", "
                  + timing("build", answer.get().building())
                  + ", "
                  + timing("write", Duration.ofNanos(System.nanoTime() - writing)));
      Responses.send(
          exchange,
          200,
          switch (format) {
            case PAGE -> "text/html; charset=utf-8";
            case JSON -> JSON;
            case DOT -> "text/vnd.graphviz; charset=utf-8";
          },
          body);
    }

    private void edge() throws IOException {
      EdgeRequest request;
      try {
        request = EdgeRequest.parse(exchange.getRequestURI().getRawQuery());
      } catch (IllegalArgumentException e) {
        Responses.send(exchange, 400, JSON, GraphJson.error(e.getMessage()));
        return;
      }
      GraphService.History history;
      try {
        history = graphs.history(request);
      } catch (PrometheusException e) {
        logger.log(Level.WARNING, "cannot draw the edge", new Object[] {"err", e.getMessage()});
        Responses.send(exchange, e.status(), JSON, GraphJson.error(e.getMessage()));
        return;
      }
      Responses.send(exchange, 200, JSON, GraphJson.write(history));
    }

    private static String timing(String name, Duration duration) {
      return String.format(Locale.ROOT, "%s;dur=%.1f", name, duration.toNanos() / 1e6);
    }

    private void failure(Format format, Request request, int status, String message)
        throws IOException {
      switch (format) {
        case PAGE ->
            Responses.send(
                exchange, status, "text/html; charset=utf-8", MapPage.error(request, message));
        case JSON -> Responses.send(exchange, status, JSON, GraphJson.error(message));
        case DOT -> Responses.send(exchange, status, TEXT, message + "\n");
      }
    }

    private void resource(String name, String type) throws IOException {
      try (InputStream in = MapServer.class.getResourceAsStream(name)) {
        if (in == null) {
          Responses.send(exchange, 404, TEXT, "404 page not found\n");
          return;
        }
        Responses.send(exchange, 200, type, in.readAllBytes());
      }
    }

    private void webjar(String file) throws IOException {
      try (InputStream in =
          MapServer.class
              .getClassLoader()
              .getResourceAsStream(WEBJAR + webjarVersion + "/" + file)) {
        if (in == null || file.isEmpty() || file.endsWith("/")) {
          Responses.send(exchange, 404, TEXT, "404 page not found\n");
          return;
        }
        exchange.getResponseHeaders().set("Cache-Control", "max-age=86400");
        String type =
            file.endsWith(".js")
                ? "text/javascript; charset=utf-8"
                : file.endsWith(".css") ? "text/css; charset=utf-8" : "application/octet-stream";
        Responses.send(exchange, 200, type, in.readAllBytes());
      }
    }
  }
}
