package io.planetexporter.map;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.io.ByteStreams;
import com.google.common.io.CountingInputStream;
import io.planetexporter.api.ConfigurationException;
import io.planetexporter.fetch.Credentials;
import io.planetexporter.fetch.FetchException;
import io.planetexporter.fetch.Redaction;
import io.planetexporter.fetch.StreamDeadline;
import io.planetexporter.map.PrometheusJson.Series;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

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
  private final PrometheusFailures failures;
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
    this.failures =
        new PrometheusFailures(Redaction.uri(settings.url()), settings.maxResponseBytes());
    this.http = new PrometheusHttp(settings.tls(), connectTimeout, readers);
  }

  @Override
  public CompletableFuture<List<QuerySeries>> query(
      String promql, Instant time, Duration timeout, SeriesBudget budget) {
    return send(
        post("api/v1/query", promql, "&time=" + seconds(time), timeout),
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

  /** Unix seconds with milliseconds, as Prometheus takes a time (and VictoriaMetrics too). */
  private static String seconds(Instant time) {
    return BigDecimal.valueOf(time.toEpochMilli(), 3).toPlainString();
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
      String selector, Instant end, Duration lookback, Duration timeout) {
    String query =
        "match[]="
            + URLEncoder.encode(selector, UTF_8)
            + "&start="
            + seconds(end.minus(lookback))
            + "&end="
            + seconds(end);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve("api/v1/label/__name__/values?" + query))
            .timeout(timeout)
            .header("Accept", "application/json")
            .GET();
    return send(request, timeout, null, PrometheusJson::strings);
  }

  /**
   * Sends the request and parses its answer on a reader thread. Cancelling the future (the request
   * failed, or the answer is of no use) closes the answer's stream, so that its reader stops at
   * once instead of at the end or the limit.
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
      return CompletableFuture.failedFuture(failures.noCredentials(e));
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
            result.completeExceptionally(failures.unreachable(failure, timeout));
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
    InputStream raw = response.body();
    StreamDeadline deadline = StreamDeadline.start(raw, sent + timeout.toNanos() - received);
    // One byte past the limit is read, to tell a body of exactly the limit from a larger one.
    CountingInputStream counted = new CountingInputStream(ByteStreams.limit(raw, limit + 1));
    try (raw) {
      OptionalLong length = response.headers().firstValueAsLong("Content-Length");
      if (length.isPresent() && length.getAsLong() > limit) {
        throw failures.tooLarge(" (Content-Length " + length.getAsLong() + ")");
      }
      PrometheusJson.Answer<T> answer;
      try {
        answer = PrometheusJson.read(counted, reader);
      } catch (SeriesBudget.Exceeded e) {
        throw PrometheusException.tooManySeries(budget.limit(), e);
      } catch (IOException e) {
        if (counted.getCount() > limit) {
          throw failures.tooLarge("");
        }
        throw deadline.expired()
            ? failures.unfinished(timeout, counted.getCount(), e)
            : failures.unreadable(response.statusCode(), e);
      }
      // To its end (a newline at most after the JSON), so that the connection is reused cleanly.
      ByteStreams.exhaust(counted);
      if (counted.getCount() > limit) {
        throw failures.tooLarge("");
      }
      if (response.statusCode() != 200 || !answer.success()) {
        throw failures.refused(response.statusCode(), answer.errorType() + ": " + answer.error());
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
      // Reading past the JSON or closing failed: the answer was read, but not cleanly.
      throw failures.refused(response.statusCode(), e.getMessage());
    } finally {
      deadline.close();
    }
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
