package io.planetexporter.map;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.planetexporter.web.Endpoint;
import io.planetexporter.web.Routes;
import io.planetexporter.web.WebFront;
import io.planetexporter.web.WebRequest;
import io.planetexporter.web.WebResponse;
import io.planetexporter.web.WebSecurity;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The map's HTTP server, on planet-web's {@link WebFront}: {@code /} (the page), {@code
 * /api/graph}, {@code /api/graph.dot}, {@code /api/edge}, {@code /api/diff} and its page {@code
 * /diff}, the pages' static files and vis-network's WebJar, {@code /-/healthy}. The whole fleet's
 * map over the kept range, ending now, comes from the {@link FleetGraph}, with an {@code Age}
 * header (seconds since it was computed). 404 for other paths, 405 for methods other than GET and
 * HEAD, 502 when Prometheus fails (422 when the request needs too many series), never a stack
 * trace.
 */
final class MapServer implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(MapServer.class.getName());
  private static final String WEBJAR = "META-INF/resources/webjars/vis-network/";
  private static final String WEBJAR_PATH = "/webjars/vis-network/";
  private static final String JSON = "application/json";
  private static final String TEXT = WebResponse.TEXT;
  private static final WebResponse NOT_FOUND = WebResponse.text(404, "404 page not found\n");

  private final WebFront front;

  private MapServer(WebFront front) {
    this.front = front;
  }

  /**
   * {@link #start(InetSocketAddress, GraphService, Optional, WebSecurity, int)} with every map
   * live.
   */
  static MapServer start(
      InetSocketAddress address, GraphService graphs, WebSecurity web, int connectionsPerAddress)
      throws IOException {
    return start(address, graphs, Optional.empty(), web, connectionsPerAddress);
  }

  /**
   * Binds the address and starts serving: over https, behind basic authentication and with the
   * response headers when {@code web} (from {@code -web.config.file}) asks for them, on every path;
   * at most {@code connectionsPerAddress} connections from one client address.
   *
   * @param fleet the whole fleet's graph kept in the background: a whole-fleet map over its range
   *     is answered from it, every other map is asked of Prometheus
   */
  static MapServer start(
      InetSocketAddress address,
      GraphService graphs,
      Optional<FleetGraph> fleet,
      WebSecurity web,
      int connectionsPerAddress)
      throws IOException {
    Pages pages =
        new Pages(
            graphs, fleet, new DiffService(graphs), webjarVersion(), new ConcurrentHashMap<>());
    // Read once: every request for them would otherwise copy them anew.
    WebResponse script = resource("static/map.js", "text/javascript; charset=utf-8");
    WebResponse style = resource("static/map.css", "text/css; charset=utf-8");
    WebResponse diffScript = resource("static/diff.js", "text/javascript; charset=utf-8");
    WebResponse diffStyle = resource("static/diff.css", "text/css; charset=utf-8");
    Endpoint routes =
        Routes.builder()
            .exact("/", request -> pages.map(request, Format.PAGE))
            .exact("/api/graph", request -> pages.map(request, Format.JSON))
            .exact("/api/graph.dot", request -> pages.map(request, Format.DOT))
            .exact("/api/edge", pages::edge)
            .exact("/api/diff", request -> pages.diff(request, false))
            .exact("/diff", request -> pages.diff(request, true))
            .exact("/static/diff.js", request -> diffScript)
            .exact("/static/diff.css", request -> diffStyle)
            .exact("/-/healthy", Endpoint.HEALTHY)
            .exact("/static/map.js", request -> script)
            .exact("/static/map.css", request -> style)
            .prefix(WEBJAR_PATH, pages::webjar)
            .build();
    // No counter of aborted responses here: planet-map has no /metrics; they are logged at FINE.
    return new MapServer(WebFront.start(address, web, routes, connectionsPerAddress, () -> {}));
  }

  InetSocketAddress address() {
    return front.address();
  }

  @Override
  public void close() {
    front.close();
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

  private enum Format {
    PAGE,
    JSON,
    DOT
  }

  private static WebResponse resource(String name, String type) throws IOException {
    try (InputStream in = MapServer.class.getResourceAsStream(name)) {
      return in == null ? NOT_FOUND : WebResponse.of(200, type, in.readAllBytes());
    }
  }

  /**
   * What draws: the map, the edges' history and the WebJar's files.
   *
   * @param webjarFiles the WebJar's files served so far, by path: read once each (at most the jar's
   *     few files; a missing one is not kept)
   */
  private record Pages(
      GraphService graphs,
      Optional<FleetGraph> fleet,
      DiffService diffs,
      String webjarVersion,
      Map<String, WebResponse> webjarFiles) {

    WebResponse map(WebRequest exchange, Format format) {
      Request request;
      try {
        request = Request.parse(exchange.rawQuery());
      } catch (IllegalArgumentException e) {
        return failure(format, Request.parse(null), 400, e.getMessage());
      }
      Optional<GraphService.Answer> answer;
      Instant end = request.end(Instant.now());
      // The kept graph's JSON, written at its refresh.
      byte[] json = null;
      try {
        if (request.hostgroup().isPresent()) {
          answer = graphs.around(request.range(), end, request.hostgroup().get(), request.depth());
        } else if (request.at().isEmpty()
            && fleet.isPresent()
            && fleet.get().range().equals(request.range())) {
          FleetGraph.Kept kept = fleet.get().current();
          answer = Optional.of(kept.answer());
          json = kept.json();
        } else {
          answer = Optional.of(graphs.whole(request.range(), end));
        }
      } catch (PrometheusException e) {
        logger.log(Level.WARNING, "cannot draw the map", new Object[] {"err", e.getMessage()});
        return failure(format, request, e.status(), e.getMessage());
      }
      if (answer.isEmpty()) {
        return failure(
            format,
            request,
            404,
            "no node \""
                + request.hostgroup().orElseThrow()
                + "\" in the map of the "
                + request
                    .at()
                    .map(at -> request.rangeText() + " up to " + Timestamps.format(at))
                    .orElse("last " + request.rangeText()));
      }
      long writing = System.nanoTime();
      byte[] body =
          switch (format) {
            case PAGE ->
                MapPage.render(request, answer.get(), graphJson(json, answer.get()))
                    .getBytes(UTF_8);
            case JSON -> graphJson(json, answer.get());
            case DOT -> GraphDot.write(answer.get().graph()).getBytes(UTF_8);
          };
      String type =
          switch (format) {
            case PAGE -> "text/html; charset=utf-8";
            case JSON -> JSON;
            case DOT -> "text/vnd.graphviz; charset=utf-8";
          };
      // Where the time went, for browsers' developer tools and bench/map.sh (for a kept graph,
      // prometheus and build are its refresh's); how old the graph is, as a cache says it.
      long age =
          Math.max(0, Instant.now().getEpochSecond() - answer.get().computedAt().getEpochSecond());
      return WebResponse.of(200, type, body)
          .with("Age", Long.toString(age))
          .with(
              "Server-Timing",
              timing("prometheus", answer.get().asking())
                  + ", "
                  + timing("build", answer.get().building())
                  + ", "
                  + timing("write", Duration.ofNanos(System.nanoTime() - writing)));
    }

    WebResponse edge(WebRequest exchange) {
      EdgeRequest request;
      try {
        request = EdgeRequest.parse(exchange.rawQuery());
      } catch (IllegalArgumentException e) {
        return WebResponse.of(400, JSON, GraphJson.error(e.getMessage()));
      }
      GraphService.History history;
      try {
        history = graphs.history(request);
      } catch (PrometheusException e) {
        logger.log(Level.WARNING, "cannot draw the edge", new Object[] {"err", e.getMessage()});
        return WebResponse.of(e.status(), JSON, GraphJson.error(e.getMessage()));
      }
      return WebResponse.of(200, JSON, GraphJson.write(history));
    }

    /** What changed between two times: the JSON of {@code /api/diff}, or the page {@code /diff}. */
    WebResponse diff(WebRequest exchange, boolean page) {
      DiffRequest request;
      try {
        request = DiffRequest.parse(exchange.rawQuery(), Instant.now());
      } catch (IllegalArgumentException e) {
        return page
            ? WebResponse.of(
                400, "text/html; charset=utf-8", DiffPage.error(Optional.empty(), e.getMessage()))
            : WebResponse.of(400, JSON, GraphJson.error(e.getMessage()));
      }
      GraphDiff diff;
      try {
        diff = diffs.diff(request);
      } catch (PrometheusException e) {
        logger.log(Level.WARNING, "cannot draw the diff", new Object[] {"err", e.getMessage()});
        return page
            ? WebResponse.of(
                e.status(),
                "text/html; charset=utf-8",
                DiffPage.error(Optional.of(request), e.getMessage()))
            : WebResponse.of(e.status(), JSON, GraphJson.error(e.getMessage()));
      }
      return page
          ? WebResponse.of(200, "text/html; charset=utf-8", DiffPage.render(request, diff))
          : WebResponse.of(200, JSON, DiffJson.write(request, diff));
    }

    /** A file of the WebJar; the front has normalised the path, so no {@code ..} leaves it. */
    WebResponse webjar(WebRequest exchange) throws IOException {
      String file = exchange.path().substring(WEBJAR_PATH.length());
      if (file.isEmpty() || file.endsWith("/")) {
        return NOT_FOUND;
      }
      WebResponse cached = webjarFiles.get(file);
      if (cached != null) {
        return cached;
      }
      WebResponse read = readWebjar(file);
      if (read.status() == 200) {
        webjarFiles.put(file, read);
      }
      return read;
    }

    private WebResponse readWebjar(String file) throws IOException {
      try (InputStream in =
          MapServer.class
              .getClassLoader()
              .getResourceAsStream(WEBJAR + webjarVersion + "/" + file)) {
        if (in == null) {
          return NOT_FOUND;
        }
        String type =
            file.endsWith(".js")
                ? "text/javascript; charset=utf-8"
                : file.endsWith(".css") ? "text/css; charset=utf-8" : "application/octet-stream";
        return WebResponse.of(200, type, in.readAllBytes()).with("Cache-Control", "max-age=86400");
      }
    }

    /** The kept graph's JSON when the answer is the kept graph, else the answer written now. */
    private static byte[] graphJson(byte[] kept, GraphService.Answer answer) {
      return kept != null ? kept : GraphJson.write(answer);
    }

    private static String timing(String name, Duration duration) {
      return String.format(Locale.ROOT, "%s;dur=%.1f", name, duration.toNanos() / 1e6);
    }

    private static WebResponse failure(Format format, Request request, int status, String message) {
      return switch (format) {
        case PAGE ->
            WebResponse.of(status, "text/html; charset=utf-8", MapPage.error(request, message));
        case JSON -> WebResponse.of(status, JSON, GraphJson.error(message));
        case DOT -> WebResponse.of(status, TEXT, message + "\n");
      };
    }
  }
}
