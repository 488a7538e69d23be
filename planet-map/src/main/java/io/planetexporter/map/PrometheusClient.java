package io.planetexporter.map;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.planetexporter.api.GoDuration;
import io.planetexporter.fetch.Redaction;
import io.planetexporter.map.PrometheusJson.Series;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Prometheus's HTTP API ({@code /api/v1/query}, {@code /api/v1/query_range}, {@code
 * /api/v1/label/__name__/values}) over the JDK's HTTP client; answers are read by {@link
 * PrometheusJson}. Each request carries its own timeout, also passed to Prometheus so that it gives
 * up the evaluation too.
 */
final class PrometheusClient implements Prometheus {

  private static final Logger logger = Logger.getLogger(PrometheusClient.class.getName());

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
    this.shown = Redaction.uri(base);
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public CompletableFuture<List<QuerySeries>> query(String promql, Duration timeout) {
    return send(post("api/v1/query", promql, "", timeout), timeout, PrometheusJson::vector);
  }

  @Override
  public CompletableFuture<List<Series>> queryRange(
      String promql, Instant start, Instant end, Duration step, Duration timeout) {
    String range =
        "&start="
            + start.getEpochSecond()
            + "&end="
            + end.getEpochSecond()
            + "&step="
            + step.toSeconds();
    return send(
        post("api/v1/query_range", promql, range, timeout), timeout, PrometheusJson::matrix);
  }

  private HttpRequest post(String path, String promql, String parameters, Duration timeout) {
    String form =
        "query="
            + URLEncoder.encode(promql, UTF_8)
            + parameters
            + "&timeout="
            + timeout.toMillis()
            + "ms";
    return HttpRequest.newBuilder(base.resolve(path))
        .timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(form))
        .build();
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
    return send(request, timeout, PrometheusJson::strings);
  }

  private <T> CompletableFuture<T> send(
      HttpRequest request, Duration timeout, PrometheusJson.DataReader<T> reader) {
    long sent = System.nanoTime();
    return http.sendAsync(request, BodyHandlers.ofByteArray())
        .handle(
            (response, failure) -> {
              if (failure != null) {
                throw new CompletionException(describe(failure, timeout));
              }
              long received = System.nanoTime();
              T data = data(response, reader);
              if (logger.isLoggable(Level.FINE)) {
                logger.log(
                    Level.FINE,
                    "asked Prometheus",
                    new Object[] {
                      "path",
                      request.uri().getPath(),
                      "bytes",
                      response.body().length,
                      "answer_ms",
                      (received - sent) / 1_000_000,
                      "parse_ms",
                      (System.nanoTime() - received) / 1_000_000
                    });
              }
              return data;
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
  private <T> T data(HttpResponse<byte[]> response, PrometheusJson.DataReader<T> reader) {
    String answered = "Prometheus at " + shown + " answered HTTP " + response.statusCode();
    PrometheusJson.Answer<T> answer;
    try {
      answer = PrometheusJson.read(response.body(), reader);
    } catch (IOException e) {
      throw new CompletionException(
          new PrometheusException(
              response.statusCode() == 200
                  ? answered + " with an answer the map cannot read: " + e.getMessage()
                  : answered + " without JSON",
              e));
    }
    if (response.statusCode() != 200 || !answer.success()) {
      throw new CompletionException(
          new PrometheusException(answered + ": " + answer.errorType() + ": " + answer.error()));
    }
    return answer.data();
  }
}
