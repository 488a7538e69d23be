package io.planetexporter.testfixtures;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;

/**
 * An HTTP/1.1 client for tests of the exporter's and the map's servers: no proxy, 5 s to connect,
 * 30 s for an answer unless {@link #timeout} says otherwise.
 *
 * <pre>{@code
 * TestHttpClient http = TestHttpClient.create();
 * HttpResponse<String> response = http.get(TestHttpClient.local(port, "/metrics"));
 * HttpResponse<String> secure =
 *     TestHttpClient.trusting(TestPki.anonymous(ca))
 *         .get(URI.create("https://localhost:" + port + "/"), "Authorization", basic("u:pw"));
 * }</pre>
 */
public final class TestHttpClient {

  private final HttpClient client;
  private final Duration timeout;

  private TestHttpClient(HttpClient client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  /** A client of plain HTTP (and of HTTPS trusting the JDK's CAs). */
  public static TestHttpClient create() {
    return new TestHttpClient(builder().build(), Duration.ofSeconds(30));
  }

  /** A client whose TLS is {@code tls}, e.g. {@link TestPki#anonymous} or a client certificate. */
  public static TestHttpClient trusting(SSLContext tls) {
    return new TestHttpClient(builder().sslContext(tls).build(), Duration.ofSeconds(30));
  }

  private static HttpClient.Builder builder() {
    return HttpClient.newBuilder()
        .proxy(HttpClient.Builder.NO_PROXY)
        .connectTimeout(Duration.ofSeconds(5))
        .version(HttpClient.Version.HTTP_1_1);
  }

  /** This client, waiting {@code timeout} for each answer. */
  public TestHttpClient timeout(Duration timeout) {
    return new TestHttpClient(client, requireNonNull(timeout, "timeout"));
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  public static URI local(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** The value of an {@code Authorization} header of basic auth for {@code user:password}. */
  public static String basic(String userAndPassword) {
    return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(UTF_8));
  }

  /** A GET with headers given as name, value, name, value...; the body as UTF-8 text. */
  public HttpResponse<String> get(URI uri, String... headers)
      throws IOException, InterruptedException {
    return send(request(uri, headers), BodyHandlers.ofString(UTF_8));
  }

  /** As {@link #get}, with the body's bytes as they came (e.g. still gzip-encoded). */
  public HttpResponse<byte[]> getBytes(URI uri, String... headers)
      throws IOException, InterruptedException {
    return send(request(uri, headers), BodyHandlers.ofByteArray());
  }

  /** As {@link #get}, without waiting. */
  public CompletableFuture<HttpResponse<String>> getAsync(URI uri, String... headers) {
    return client.sendAsync(request(uri, headers).build(), BodyHandlers.ofString(UTF_8));
  }

  /** Any request, e.g. {@code request(uri).POST(...)}, with this client's timeout. */
  public <T> HttpResponse<T> send(HttpRequest.Builder request, BodyHandler<T> body)
      throws IOException, InterruptedException {
    return client.send(request.build(), body);
  }

  /** A request of {@code uri} with this client's timeout and the headers (name, value...). */
  public HttpRequest.Builder request(URI uri, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout);
    if (headers.length > 0) {
      request.headers(headers);
    }
    return request;
  }
}
