package io.planetexporter.map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.planetexporter.fetch.FetchAuth;
import io.planetexporter.testfixtures.TestHttpClient;
import io.planetexporter.testfixtures.TestHttpServer;
import io.planetexporter.testfixtures.TestPki;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against real HTTP servers on loopback: its credentials, TLS files and limits. */
class PrometheusClientTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final String EMPTY =
      "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
  private static final String SERIES = "{\"metric\":{\"local_node\":\"web\"},\"value\":[1,\"1\"]}";

  @TempDir Path dir;
  private TestHttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = TestHttpServer.start();
    server.respond(200, EMPTY);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static PrometheusSettings settings(URI url, FetchAuth auth, long maxBytes) {
    return new PrometheusSettings(
        url, auth, PrometheusTls.NONE, maxBytes, PrometheusSettings.DEFAULT_MAX_SERIES);
  }

  private static List<QuerySeries> query(PrometheusSettings settings, SeriesBudget budget)
      throws Exception {
    try {
      return new PrometheusClient(settings, TIMEOUT)
          .query("up", Instant.now(), TIMEOUT, budget)
          .get();
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  private static List<QuerySeries> query(PrometheusSettings settings) throws Exception {
    return query(settings, new SeriesBudget(1000));
  }

  private static FetchAuth basic(String user, Path password) {
    return new FetchAuth(
        Optional.of(user), Optional.of(password), Optional.empty(), Optional.empty(), false);
  }

  private URI url(String userInfo) {
    return URI.create(server.uri("/").toString().replace("//", "//" + userInfo + "@"));
  }

  @Test
  void sendsTheUrlsUserAsBasicAuth() throws Exception {
    query(FakePrometheus.settings(url("sre:s%3Acret")));

    assertThat(server.lastRequestHeader("Authorization"))
        .isEqualTo(TestHttpClient.basic("sre:s:cret"));
  }

  @Test
  void asksForNamesUpToTheMillisecondOfTheEnd() throws Exception {
    // A series scraped once, 0.9 s before the end, exists for the query at that end; a range cut
    // to whole seconds would leave it out of the names, and its kind out of the graph.
    AtomicReference<String> asked = new AtomicReference<>();
    server.respondWith(
        exchange -> {
          asked.set(exchange.getRequestURI().getRawQuery());
          byte[] body = "{\"status\":\"success\",\"data\":[\"up\"]}".getBytes(UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
        });
    Instant end = Instant.ofEpochMilli(1_700_000_000_950L).plusNanos(400_000);

    var names =
        new PrometheusClient(FakePrometheus.settings(server.uri("/")), TIMEOUT)
            .names("{__name__=\"up\"}", end, Duration.ofMinutes(5), TIMEOUT)
            .get();

    assertThat(names).containsExactly("up");
    assertThat(asked.get()).endsWith("&start=1699999700.950&end=1700000000.950");
  }

  @Test
  void readsThePasswordFileAtEachRequest() throws Exception {
    Path password = Files.writeString(dir.resolve("password"), "first\n");
    PrometheusSettings settings = settings(server.uri("/"), basic("sre", password), 1 << 20);
    PrometheusClient client = new PrometheusClient(settings, TIMEOUT);

    client.query("up", Instant.now(), TIMEOUT, new SeriesBudget(10)).get();
    String first = server.lastRequestHeader("Authorization");
    Files.writeString(password, "second\n");
    client.query("up", Instant.now(), TIMEOUT, new SeriesBudget(10)).get();

    assertThat(first).isEqualTo(TestHttpClient.basic("sre:first"));
    assertThat(server.lastRequestHeader("Authorization"))
        .isEqualTo(TestHttpClient.basic("sre:second"));
  }

  @Test
  void sendsTheBearerTokenFile() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "t0ken\n");
    FetchAuth auth =
        new FetchAuth(
            Optional.empty(), Optional.empty(), Optional.of(token), Optional.empty(), false);

    query(settings(server.uri("/"), auth, 1 << 20));

    assertThat(server.lastRequestHeader("Authorization")).isEqualTo("Bearer t0ken");
  }

  @Test
  void aPasswordFileGoneIsAClearErrorThatNamesTheFileOnly() throws Exception {
    Path password = dir.resolve("password");
    PrometheusSettings settings = settings(server.uri("/"), basic("sre", password), 1 << 20);

    Throwable failure = catchThrowable(() -> query(settings));

    assertThat(failure)
        .isInstanceOf(PrometheusException.class)
        .hasMessageContaining("cannot read the password file " + password);
    assertThat(server.requests()).isZero();
  }

  @Test
  void anUnauthorizedAnswerNamesTheCauseAndHidesThePassword() throws Exception {
    server.respond(401, "Unauthorized\n");

    Throwable failure = catchThrowable(() -> query(FakePrometheus.settings(url("sre:hunter2"))));

    assertThat(failure)
        .isInstanceOf(PrometheusException.class)
        .hasMessageContaining("sre:***@127.0.0.1")
        .hasMessageContaining("answered HTTP 401 without JSON (unauthorized: check")
        .hasMessageNotContaining("hunter2");
    assertThat(((PrometheusException) failure).status()).isEqualTo(502);
  }

  @Test
  void cutsAnAnswerPastTheLimitAsItArrives() throws Exception {
    AtomicLong written = streamSeries();
    long start = System.nanoTime();

    Throwable failure =
        catchThrowable(
            () ->
                query(
                    settings(server.uri("/"), FetchAuth.NONE, 1 << 20),
                    new SeriesBudget(Integer.MAX_VALUE)));

    assertThat(failure)
        .isInstanceOf(PrometheusException.class)
        .hasMessageContaining(
            "answered one query with more than the 1048576 bytes of -prometheus-max-response-size;"
                + " ask for less: one hostgroup's neighbourhood (hostgroup=...), a smaller depth or"
                + " a shorter range, or raise -prometheus-max-response-size");
    assertThat(((PrometheusException) failure).status()).isEqualTo(502);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    // The server stops once the client has closed: far from the gigabyte (socket buffers only).
    Thread.sleep(200);
    assertThat(written.get()).isLessThan(32L << 20);
  }

  @Test
  void cancellingStopsTheReading() throws Exception {
    AtomicLong written = streamSeries();
    PrometheusClient client =
        new PrometheusClient(settings(server.uri("/"), FetchAuth.NONE, 1L << 40), TIMEOUT);

    CompletableFuture<List<QuerySeries>> pending =
        client.query("up", Instant.now(), TIMEOUT, new SeriesBudget(Integer.MAX_VALUE));
    while (written.get() < 1 << 20) {
      Thread.sleep(10);
    }
    pending.cancel(true);
    Thread.sleep(300);
    long afterCancel = written.get();
    Thread.sleep(500);

    assertThat(written.get()).isEqualTo(afterCancel).isLessThan(64L << 20);
  }

  /** Answers with series, chunked (no length), up to 1 GiB, written as long as the client reads. */
  private AtomicLong streamSeries() {
    AtomicLong written = new AtomicLong();
    server.respondWith(
        exchange -> {
          exchange.sendResponseHeaders(200, 0);
          OutputStream out = exchange.getResponseBody();
          out.write(
              "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                  .getBytes(UTF_8));
          byte[] chunk = (SERIES + ",").repeat(1000).getBytes(UTF_8);
          while (written.get() < 1L << 30) {
            out.write(chunk);
            written.addAndGet(chunk.length);
          }
        });
    return written;
  }

  @Test
  void refusesALengthPastTheLimitBeforeReading() throws Exception {
    server.respond(200, " ".repeat(2000) + EMPTY);

    Throwable failure =
        catchThrowable(() -> query(settings(server.uri("/"), FetchAuth.NONE, 2000)));

    assertThat(failure).hasMessageContaining("-prometheus-max-response-size (Content-Length 2");
  }

  @Test
  void readsAnAnswerOfExactlyTheLimit() throws Exception {
    server.respond(200, EMPTY);

    assertThat(query(settings(server.uri("/"), FetchAuth.NONE, EMPTY.length()))).isEmpty();
  }

  @Test
  void stopsAtTheRequestsSeriesLimitWith422() throws Exception {
    server.respond(
        200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
            + String.join(",", SERIES, SERIES, SERIES)
            + "]}}");
    SeriesBudget budget = new SeriesBudget(4);
    PrometheusSettings settings = FakePrometheus.settings(server.uri("/"));

    assertThat(query(settings, budget)).hasSize(3);
    Throwable failure = catchThrowable(() -> query(settings, budget));

    assertThat(failure)
        .isInstanceOf(PrometheusException.class)
        .hasMessage(
            "the map needs more than 4 series from Prometheus (-prometheus-max-series); ask for"
                + " less: one hostgroup's neighbourhood (hostgroup=...), a smaller depth or a"
                + " shorter range, or raise -prometheus-max-series");
    assertThat(((PrometheusException) failure).status()).isEqualTo(422);
  }

  @Test
  void rereadsTheCaFileWhenItChanges() throws Exception {
    TestPki.Issued ca = TestPki.ca("prometheus-ca");
    TestPki.Issued other = TestPki.ca("other-ca");
    byte[] body = EMPTY.getBytes(UTF_8);
    HttpsServer https =
        https(
            ca,
            exchange -> {
              try (exchange) {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
              }
            });
    try {
      Path caFile = Files.writeString(dir.resolve("ca.crt"), TestPki.pem(ca.certificate()));
      PrometheusSettings settings = trusting(https, caFile);
      PrometheusClient client = new PrometheusClient(settings, TIMEOUT);

      List<QuerySeries> trusted =
          client.query("up", Instant.now(), TIMEOUT, new SeriesBudget(10)).get();
      // Another CA, written as a rotation would (the file's time changes): the next request is a
      // new connection of a new client, which no longer trusts Prometheus's certificate.
      Thread.sleep(1100);
      Files.writeString(caFile, TestPki.pem(other.certificate()));
      Throwable untrusted =
          catchThrowable(
              () -> client.query("up", Instant.now(), TIMEOUT, new SeriesBudget(10)).get());

      assertThat(trusted).isEmpty();
      assertThat(untrusted)
          .hasCauseInstanceOf(PrometheusException.class)
          .hasMessageContaining("SSLHandshakeException")
          .hasMessageContaining("(TLS: check -prometheus-tls-ca-file");
    } finally {
      https.stop(0);
    }
  }

  @Test
  void aConnectionClosedWithoutAnAnswerOverTlsNamesTheTlsFiles() throws Exception {
    TestPki.Issued ca = TestPki.ca("prometheus-ca");
    // The handshake succeeds, then the connection closes without an answer, as a server that
    // refused the client's certificate under TLS 1.3 closes it when its alert is lost.
    HttpsServer https =
        https(
            ca,
            exchange -> {
              throw new IOException("no answer, for a test");
            });
    try {
      Path caFile = Files.writeString(dir.resolve("ca.crt"), TestPki.pem(ca.certificate()));

      Throwable closed = catchThrowable(() -> query(trusting(https, caFile)));

      assertThat(closed)
          .isInstanceOf(PrometheusException.class)
          .hasMessageContaining("is unreachable: IOException")
          .hasMessageNotContaining("SSLHandshakeException")
          .hasMessageContaining(
              "(TLS: a server that requires a client certificate closes the connection so; check"
                  + " -prometheus-tls-ca-file, -prometheus-tls-cert-file and"
                  + " -prometheus-tls-key-file)");
    } finally {
      https.stop(0);
    }
  }

  @Test
  void aConnectionClosedWithoutAnAnswerOverPlainHttpNamesNoTlsFile() {
    server.respondWith(
        exchange -> {
          throw new IOException("no answer, for a test");
        });

    Throwable closed =
        catchThrowable(() -> query(settings(server.uri("/"), FetchAuth.NONE, 1 << 20)));

    assertThat(closed)
        .isInstanceOf(PrometheusException.class)
        .hasMessageContaining("is unreachable: IOException")
        .hasMessageNotContaining("TLS");
  }

  /** An HTTPS server on loopback with a certificate {@code ca} issued, answering with handler. */
  private static HttpsServer https(TestPki.Issued ca, HttpHandler handler) throws Exception {
    HttpsServer https =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(
        new HttpsConfigurator(TestPki.leaf(ca, "prometheus", TestPki.ec()).serverContext()));
    https.createContext("/", handler);
    https.start();
    return https;
  }

  /** The settings of a client of {@code https} that trusts the CA of {@code caFile}. */
  private static PrometheusSettings trusting(HttpsServer https, Path caFile) {
    return new PrometheusSettings(
        URI.create("https://127.0.0.1:" + https.getAddress().getPort()),
        FetchAuth.NONE,
        new PrometheusTls(Optional.of(caFile), Optional.empty(), Optional.empty()),
        1 << 20,
        10);
  }
}
