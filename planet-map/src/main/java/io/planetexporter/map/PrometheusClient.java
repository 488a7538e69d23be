package io.planetexporter.map;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.planetexporter.api.GoDuration;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Prometheus's HTTP API ({@code /api/v1/query}, {@code /api/v1/label/__name__/values}) over the
 * JDK's HTTP client. Each request carries its own timeout, also passed to Prometheus so that it
 * gives up the evaluation too.
 */
final class PrometheusClient implements Prometheus {

  private static final ObjectMapper json = new ObjectMapper();

  private final URI base;
  private final String shown;
  private final HttpClient http;

  /**
   * @param base e.g. {@code http://prometheus:9090} or {@code http://proxy/prometheus/}
   * @param connectTimeout how long a TCP connection may take to open
   */
  PrometheusClient(URI base, Duration connectTimeout) {
    String text = base.toString();
    this.base = URI.create(text.endsWith("/") ? text : text + "/");
    this.shown = redacted(base);
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** The URL without user information or query, for logs and errors: never a password. */
  static String redacted(URI url) {
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + (url.getPath() == null ? "" : url.getPath());
  }

  @Override
  public CompletableFuture<List<Sample>> query(String promql, Duration timeout) {
    String form =
        "query=" + URLEncoder.encode(promql, UTF_8) + "&timeout=" + timeout.toMillis() + "ms";
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("api/v1/query"))
            .timeout(timeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    return send(request, timeout, PrometheusClient::vector);
  }

  @Override
  public CompletableFuture<Set<String>> names(
      String selector, Duration lookback, Duration timeout) {
    Instant now = Instant.now();
    String query =
        "match[]="
            + URLEncoder.encode(selector, UTF_8)
            + "&start="
            + now.minus(lookback).getEpochSecond()
            + "&end="
            + now.getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("api/v1/label/__name__/values?" + query))
            .timeout(timeout)
            .header("Accept", "application/json")
            .GET()
            .build();
    return send(
        request,
        timeout,
        data -> {
          Set<String> names = new TreeSet<>();
          data.forEach(name -> names.add(name.asText()));
          return names;
        });
  }

  private <T> CompletableFuture<T> send(
      HttpRequest request, Duration timeout, Function<JsonNode, T> read) {
    return http.sendAsync(request, BodyHandlers.ofString(UTF_8))
        .handle(
            (response, failure) -> {
              if (failure != null) {
                throw new CompletionException(describe(failure, timeout));
              }
              return read.apply(data(response));
            });
  }

  private PrometheusException describe(Throwable failure, Duration timeout) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof HttpTimeoutException) {
      return new PrometheusException(
          "Prometheus at " + shown + " did not answer within " + GoDuration.format(timeout), cause);
    }
    if (cause instanceof ConnectException) {
      return new PrometheusException(
          "Prometheus at " + shown + " is unreachable (connection refused)", cause);
    }
    if (cause instanceof IOException) {
      return new PrometheusException(
          "Prometheus at "
              + shown
              + " is unreachable: "
              + cause.getClass().getSimpleName()
              + (cause.getMessage() == null ? "" : ": " + cause.getMessage()),
          cause);
    }
    return new PrometheusException("asking Prometheus at " + shown + " failed: " + cause, cause);
  }

  /** The {@code data} of a successful answer. */
  private JsonNode data(HttpResponse<String> response) {
    String answered = "Prometheus at " + shown + " answered HTTP " + response.statusCode();
    JsonNode body;
    try {
      body = json.readTree(response.body());
    } catch (IOException e) {
      throw new CompletionException(new PrometheusException(answered + " without JSON", e));
    }
    if (response.statusCode() != 200 || !body.path("status").asText().equals("success")) {
      throw new CompletionException(
          new PrometheusException(
              answered
                  + ": "
                  + body.path("errorType").asText("error")
                  + ": "
                  + body.path("error").asText("(no message)")));
    }
    return body.path("data");
  }

  private static List<Sample> vector(JsonNode data) {
    if (!data.path("resultType").asText().equals("vector")) {
      throw new CompletionException(
          new PrometheusException("expected a vector, got " + data.path("resultType").asText()));
    }
    List<Sample> samples = new ArrayList<>();
    for (JsonNode series : data.path("result")) {
      Map<String, String> labels = new HashMap<>();
      series
          .path("metric")
          .properties()
          .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      labels.remove("__name__");
      samples.add(new Sample(labels, Double.parseDouble(series.path("value").path(1).asText())));
    }
    return samples;
  }
}
