package io.planetexporter.map;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.io.ByteStreams;
import com.google.common.io.CountingInputStream;
import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.GoDuration;
import io.planetexporter.fetch.Credentials;
import io.planetexporter.fetch.FetchException;
import io.planetexporter.fetch.Redaction;
import io.planetexporter.fetch.StreamDeadline;
import io.planetexporter.map.PrometheusJson.Series;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;

/**
 * Prometheus's HTTP API ({@code /api/v1/query}, {@code /api/v1/query_range}, {@code
 * /api/v1/label/__name__/values}) over the JDK's HTTP client, with the credentials and TLS files of
 * {@link PrometheusSettings} (the password and token files read at each request, so a rotated one
 * is used at once). Answers are parsed by {@link PrometheusJson} as they arrive, never held whole:
 * one that passes {@code -prometheus-max-response-size} is cut there, and the request's series are
 * counted against its {@link SeriesBudget}. Each request carries its own timeout, also passed to
 * Prometheus so that it gives up the evaluation too, and covering the whole answer.
 */
final class PrometheusClient implements Prometheus {

  private static final Logger logger = Logger.getLogger(PrometheusClient.class.getName());

  /** The client's callbacks and the parsing, which blocks on the answer as it arrives. */
  private static final ExecutorService readers = Executors.newCachedThreadPool(daemons());

  private final URI base;
  private final PrometheusSettings settings;
  private final String shown;
  private final PrometheusHttp http;

  /**
   * @param settings e.g. the URL {@code http://prometheus:9090} or {@code http://proxy/prometheus/}
   * @param connectTimeout how long a TCP connection may take to open
   * @throws ConfigurationException naming the flag of a TLS file that cannot be read or does not
   *     fit
   */
  PrometheusClient(PrometheusSettings settings, Duration connectTimeout)
      throws ConfigurationException {
    String text = Credentials.withoutUserInfo(settings.url()).toString();
    this.base = URI.create(text.endsWith("/") ? text : text + "/");
    this.settings = settings;
    this.shown = Redaction.uri(settings.url());
    this.http = new PrometheusHttp(settings.tls(), connectTimeout, readers);
  }

  @Override
  public CompletableFuture<List<QuerySeries>> query(
      String promql, Duration timeout, SeriesBudget budget) {
    return send(
        post("api/v1/query", promql, "", timeout),
        timeout,
        budget,
        (parser, strings) -> PrometheusJson.vector(parser, strings, budget));
  }

  @Override
  public CompletableFuture<List<Series>> queryRange(
      String promql,
      Instant start,
      Instant end,
      Duration step,
      Duration timeout,
      SeriesBudget budget) {
    String range =
        "&start="
            + start.getEpochSecond()
            + "&end="
            + end.getEpochSecond()
            + "&step="
            + step.toSeconds();
    return send(
        post("api/v1/query_range", promql, range, timeout),
        timeout,
        budget,
        (parser, strings) -> PrometheusJson.matrix(parser, strings, budget));
  }

  private HttpRequest.Builder post(
      String path, String promql, String parameters, Duration timeout) {
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
        .POST(HttpRequest.BodyPublishers.ofString(form));
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
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve("api/v1/label/__name__/values?" + query))
            .timeout(timeout)
            .header("Accept", "application/json")
            .GET();
    return send(request, timeout, null, PrometheusJson::strings);
  }

  /**
   * Sends the request and parses its answer on a reader thread. Cancelling the future (the request
   * failed, or the answer is of no use) aborts the exchange and closes the answer's stream, so that
   * its reader stops at once instead of at the end or the limit.
   *
   * @param budget the request's series, to name its limit when the parser runs out of it
   */
  private <T> CompletableFuture<T> send(
      HttpRequest.Builder builder,
      Duration timeout,
      SeriesBudget budget,
      PrometheusJson.DataReader<T> reader) {
    long sent = System.nanoTime();
    try {
      Credentials.authorization(settings.auth(), settings.url())
          .ifPresent(value -> builder.header("Authorization", value));
    } catch (FetchException e) {
      // The message names the file, never its content.
      return CompletableFuture.failedFuture(
          new PrometheusException("cannot ask Prometheus at " + shown + ": " + e.getMessage()));
    }
    HttpRequest request = builder.build();
    CompletableFuture<T> result = new CompletableFuture<>();
    CompletableFuture<HttpResponse<InputStream>> exchange =
        http.client().sendAsync(request, BodyHandlers.ofInputStream());
    result.whenComplete(
        (data, failure) -> {
          // Only the body is closed: a cancelled exchange can leave the JDK's pool a connection
          // that answers the next request with nothing.
          if (result.isCancelled()) {
            exchange.thenAccept(response -> closeQuietly(response.body()));
          }
        });
    exchange.whenCompleteAsync(
        (response, failure) -> {
          if (failure != null) {
            result.completeExceptionally(describe(failure, timeout));
            return;
          }
          if (result.isCancelled()) {
            closeQuietly(response.body());
            return;
          }
          try {
            result.complete(read(request, response, sent, timeout, budget, reader));
          } catch (PrometheusException e) {
            result.completeExceptionally(e);
          }
        },
        readers);
    return result;
  }

  /** The {@code data} of a successful answer, read within the timeout and the size limit. */
  private <T> T read(
      HttpRequest request,
      HttpResponse<InputStream> response,
      long sent,
      Duration timeout,
      SeriesBudget budget,
      PrometheusJson.DataReader<T> reader)
      throws PrometheusException {
    long received = System.nanoTime();
    long limit = settings.maxResponseBytes();
    String answered = "Prometheus at " + shown + " answered HTTP " + response.statusCode();
    InputStream raw = response.body();
    StreamDeadline deadline = StreamDeadline.start(raw, sent + timeout.toNanos() - received);
    // One byte past the limit is read, to tell a body of exactly the limit from a larger one.
    CountingInputStream counted = new CountingInputStream(ByteStreams.limit(raw, limit + 1));
    try (raw) {
      OptionalLong length = response.headers().firstValueAsLong("Content-Length");
      if (length.isPresent() && length.getAsLong() > limit) {
        throw tooLarge(" (Content-Length " + length.getAsLong() + ")");
      }
      PrometheusJson.Answer<T> answer;
      try {
        answer = PrometheusJson.read(counted, reader);
      } catch (SeriesBudget.Exceeded e) {
        throw PrometheusException.tooManySeries(budget.limit(), e);
      } catch (IOException e) {
        if (counted.getCount() > limit) {
          throw tooLarge("");
        }
        if (deadline.expired()) {
          throw new PrometheusException(
              "Prometheus at "
                  + shown
                  + " did not finish its answer within "
                  + GoDuration.format(timeout)
                  + " ("
                  + counted.getCount()
                  + " bytes read)",
              e);
        }
        throw new PrometheusException(
            response.statusCode() == 200
                ? answered + " with an answer the map cannot read: " + e.getMessage()
                : answered + " without JSON" + hint(response.statusCode()),
            e);
      }
      // To its end (a newline at most after the JSON), so that the connection is reused cleanly.
      ByteStreams.exhaust(counted);
      if (counted.getCount() > limit) {
        throw tooLarge("");
      }
      if (response.statusCode() != 200 || !answer.success()) {
        throw new PrometheusException(answered + ": " + answer.errorType() + ": " + answer.error());
      }
      if (logger.isLoggable(Level.FINE)) {
        logger.log(
            Level.FINE,
            "asked Prometheus",
            new Object[] {
              "path",
              request.uri().getPath(),
              "bytes",
              counted.getCount(),
              "answer_ms",
              (received - sent) / 1_000_000,
              "parse_ms",
              (System.nanoTime() - received) / 1_000_000
            });
      }
      return answer.data();
    } catch (IOException e) {
      // Only the closing of the stream is left to fail here; the answer was read.
      throw new PrometheusException(answered + ": " + e.getMessage(), e);
    } finally {
      deadline.close();
    }
  }

  private PrometheusException tooLarge(String length) {
    return new PrometheusException(
        "Prometheus at "
            + shown
            + " answered one query with more than the "
            + settings.maxResponseBytes()
            + " bytes of -prometheus-max-response-size"
            + length
            + "; "
            + PrometheusException.NARROW
            + ", or raise -prometheus-max-response-size");
  }

  /** Why an answer without JSON may have come, for the statuses of a proxy or an auth front. */
  private static String hint(int status) {
    return switch (status) {
      case 401 ->
          " (unauthorized: check -prometheus-basic-auth-username and -password-file,"
              + " -prometheus-bearer-token-file or the user in -prometheus-url)";
      case 403 -> " (forbidden: the credentials are not allowed to query)";
      default -> "";
    };
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
              + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
              + (cause instanceof SSLException
                  ? " (TLS: check -prometheus-tls-ca-file, -prometheus-tls-cert-file and"
                      + " -prometheus-tls-key-file)"
                  : ""),
          cause);
    }
    return new PrometheusException("asking Prometheus at " + shown + " failed: " + cause, cause);
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // The reader sees the stream closed, which is all a cancelled query needs.
    }
  }

  private static ThreadFactory daemons() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "prometheus-reader-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
