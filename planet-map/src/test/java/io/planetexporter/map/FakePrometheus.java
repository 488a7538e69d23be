package io.planetexporter.map;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.planetexporter.api.ConfigurationException;
import io.planetexporter.fetch.FetchAuth;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP server that answers the map's Prometheus API calls with canned series: the
 * recorded series named by {@link #answer}, each found by its name in the query; a range query gets
 * each series' value at two steps.
 */
final class FakePrometheus implements AutoCloseable {

  private final HttpServer server;
  private final Map<String, String> results = new ConcurrentHashMap<>();
  private final List<String> queries = new CopyOnWriteArrayList<>();
  private final List<String> times = new CopyOnWriteArrayList<>();
  private volatile Duration delay = Duration.ZERO;
  private volatile boolean failing;
  private final Set<String> failingNames = ConcurrentHashMap.newKeySet();
  private final Set<String> stalledNames = ConcurrentHashMap.newKeySet();

  /** How long a stalled query waits: longer than the tests' query timeouts. */
  static final Duration STALL = Duration.ofSeconds(8);

  FakePrometheus() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/api/v1/",
        exchange -> {
          try (exchange) {
            sleep();
            if (failing) {
              unavailable(exchange);
              return;
            }
            String path = exchange.getRequestURI().getPath();
            String body;
            if (path.equals("/api/v1/label/__name__/values")) {
              times.add(
                  "names "
                      + exchange.getRequestURI().getRawQuery().replaceAll("^.*&start=", "start="));
              body =
                  "{\"status\":\"success\",\"data\":["
                      + String.join(
                          ",", results.keySet().stream().map(n -> "\"" + n + "\"").toList())
                      + "]}";
            } else {
              String form = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
              String query = "";
              for (String pair : form.split("&")) {
                if (pair.startsWith("query=")) {
                  query = URLDecoder.decode(pair.substring("query=".length()), UTF_8);
                } else if (pair.startsWith("time=")) {
                  times.add(pair);
                }
              }
              queries.add(query);
              String asked = query;
              if (failingNames.stream().anyMatch(name -> asked.contains(name + "{"))) {
                unavailable(exchange);
                return;
              }
              if (stalledNames.stream().anyMatch(name -> asked.contains(name + "{"))) {
                sleep(STALL);
              }
              String result =
                  results.entrySet().stream()
                      .filter(e -> asked.contains(e.getKey() + "{"))
                      .map(Map.Entry::getValue)
                      .findFirst()
                      .orElse("");
              boolean range = path.equals("/api/v1/query_range");
              if (range) {
                // Each series' value at two steps a minute apart.
                result =
                    result.replaceAll(
                        "\"value\":\\[1700000000,(\"[^\"]*\")\\]",
                        "\"values\":[[1700000000,$1],[1700000060,$1]]");
              }
              body =
                  "{\"status\":\"success\",\"data\":{\"resultType\":\""
                      + (range ? "matrix" : "vector")
                      + "\",\"result\":["
                      + result
                      + "]}}";
            }
            byte[] bytes = body.getBytes(UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          }
        });
    server.start();
  }

  /**
   * Answers queries of recorded series {@code name} with series written {@code label=value ... ->
   * value}, one per string.
   */
  FakePrometheus answer(String name, String... series) {
    StringBuilder json = new StringBuilder();
    for (String s : series) {
      String[] parts = s.split(" -> ");
      json.append(json.length() == 0 ? "" : ",")
          .append("{\"metric\":{\"__name__\":\"")
          .append(name)
          .append('"');
      for (String pair : parts[0].trim().split(" +")) {
        String[] kv = pair.split("=", 2);
        json.append(",\"").append(kv[0]).append("\":\"").append(kv[1]).append('"');
      }
      json.append("},\"value\":[1700000000,\"").append(parts[1]).append("\"]}");
    }
    results.put(name, json.toString());
    return this;
  }

  /** Every answer comes after {@code delay}. */
  void delay(Duration delay) {
    this.delay = delay;
  }

  /** Every answer is a 503 with Prometheus's error JSON while {@code failing}. */
  void failing(boolean failing) {
    this.failing = failing;
  }

  /** Whether {@code query} asks for series this fake has answers for. */
  boolean answers(String query) {
    return results.keySet().stream().anyMatch(name -> query.contains(name + "{"));
  }

  List<String> queries() {
    return queries;
  }

  /**
   * The times asked: {@code time=...} of each instant query, {@code names start=...&end=...} of
   * each look-up of names.
   */
  List<String> times() {
    return times;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** No credentials but the URL's, the JVM's trust store, the default limits. */
  static PrometheusSettings settings(URI url) {
    return new PrometheusSettings(
        url,
        FetchAuth.NONE,
        PrometheusTls.NONE,
        PrometheusSettings.DEFAULT_MAX_RESPONSE_BYTES,
        PrometheusSettings.DEFAULT_MAX_SERIES);
  }

  /** The map's graphs from the Prometheus at {@code url}, with the default limits. */
  static GraphService graphs(URI url, Duration timeout) {
    try {
      return new GraphService(
          new PrometheusClient(settings(url), timeout),
          timeout,
          PrometheusSettings.DEFAULT_MAX_SERIES);
    } catch (ConfigurationException e) {
      throw new IllegalStateException("no TLS files, nothing to read", e);
    }
  }

  /** Queries of the recorded series {@code name} get a 503, as {@link #failing} gives all. */
  void failing(String name) {
    failingNames.add(name);
  }

  /** Queries of the recorded series {@code name} are answered only after {@link #STALL}. */
  void stalling(String name) {
    stalledNames.add(name);
  }

  private static void unavailable(HttpExchange exchange) throws IOException {
    byte[] error =
        "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"down for a test\"}"
            .getBytes(UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(503, error.length);
    exchange.getResponseBody().write(error);
  }

  private void sleep() {
    sleep(delay);
  }

  private static void sleep(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
