package io.planetexporter.fetch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.testfixtures.TestHttpServer;
import io.planetexporter.testfixtures.TestHttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedFetcherTest {

  private static final long MAX_BYTES = 1024;

  // Generous, so a busy machine does not fail the tests that expect success; the deadline tests
  // use a short one of their own.
  private final BoundedFetcher fetcher = new BoundedFetcher(Duration.ofSeconds(10), MAX_BYTES);
  private final BoundedFetcher hasty = new BoundedFetcher(Duration.ofSeconds(2), MAX_BYTES);

  @Nested
  class OverHttp {

    private TestHttpServer server;

    @BeforeEach
    void startServer() throws IOException {
      server = TestHttpServer.start();
    }

    @AfterEach
    void stopServer() {
      server.close();
    }

    @Test
    void returnsTheBody() throws Exception {
      server.respond(200, "hello");

      assertThat(fetcher.fetch(server.uri("/x"))).asString(UTF_8).isEqualTo("hello");
    }

    @Test
    void asksForGzipAndDecodesIt() throws Exception {
      server.respondGzip("compressed hello");

      assertThat(fetcher.fetch(server.uri("/x"))).asString(UTF_8).isEqualTo("compressed hello");
      assertThat(server.lastRequestHeader("Accept-Encoding")).isEqualTo("gzip");
    }

    @Test
    void failsOnHttpErrorStatus() {
      server.respond(500, "oops");
      URI uri = server.uri("/x");

      assertThatThrownBy(() -> fetcher.fetch(uri))
          .isInstanceOf(FetchException.class)
          .hasMessage("GET " + uri + ": HTTP 500");
    }

    @Test
    void failsOnNotFound() {
      server.respond(404, "");
      URI uri = server.uri("/x");

      assertThatThrownBy(() -> fetcher.fetch(uri)).hasMessage("GET " + uri + ": HTTP 404");
    }

    @Test
    void acceptsABodyOfExactlyTheLimit() throws Exception {
      server.respond(200, "x".repeat((int) MAX_BYTES));

      assertThat(fetcher.fetch(server.uri("/x"))).hasSize((int) MAX_BYTES);
    }

    @Test
    void failsOnABodyOverTheLimit() {
      server.respond(200, "x".repeat((int) MAX_BYTES + 1));
      URI uri = server.uri("/x");

      assertThatThrownBy(() -> fetcher.fetch(uri))
          .hasMessage("GET " + uri + ": body larger than 1024 bytes");
    }

    @Test
    void failsOnAnOversizedBodyWithoutContentLength() {
      byte[] body = "x".repeat(10 * (int) MAX_BYTES).getBytes(UTF_8);
      server.respondWith(
          exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked
            exchange.getResponseBody().write(body);
          });
      URI uri = server.uri("/x");

      assertThatThrownBy(() -> fetcher.fetch(uri))
          .hasMessage("GET " + uri + ": body larger than 1024 bytes");
    }

    @Test
    void countsTheLimitAfterGzipDecoding() throws IOException {
      // About 64 KiB on the wire, under the 1 MiB limit; 64 MiB once decoded.
      byte[] bomb = gzippedZeros(64L << 20);
      BoundedFetcher fetcher = new BoundedFetcher(Duration.ofSeconds(5), 1 << 20);
      assertThat(bomb.length).isLessThan(1 << 20);
      server.respondWith(
          exchange -> {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, bomb.length);
            exchange.getResponseBody().write(bomb);
          });
      URI uri = server.uri("/x");

      assertThatThrownBy(() -> fetcher.fetch(uri))
          .hasMessage("GET " + uri + ": body larger than 1048576 bytes");
    }

    @Test
    void streamsTheBodyThroughAReader() throws Exception {
      server.respondGzip("one\ntwo\nthree\n");

      long lines =
          fetcher.fetch(
              server.uri("/x"), in -> new String(in.readAllBytes(), UTF_8).lines().count());

      assertThat(lines).isEqualTo(3);
    }

    @Test
    void stopsAStreamingReaderOnceTheBodyPassesTheLimit() {
      byte[] body = "x".repeat(10 * (int) MAX_BYTES).getBytes(UTF_8);
      server.respondWith(
          exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked
            exchange.getResponseBody().write(body);
          });
      URI uri = server.uri("/x");
      long[] seen = new long[1];

      assertThatThrownBy(
              () ->
                  fetcher.fetch(
                      uri,
                      in -> {
                        while (in.read() != -1) {
                          seen[0]++;
                        }
                        return seen[0];
                      }))
          .hasMessage("GET " + uri + ": body larger than 1024 bytes");
      assertThat(seen[0]).isEqualTo(MAX_BYTES);
    }

    @Test
    void letsTheReadersOwnExceptionThrough() {
      server.respond(200, "garbage");
      URI uri = server.uri("/x");

      assertThatThrownBy(
              () ->
                  fetcher.fetch(
                      uri,
                      in -> {
                        throw new ParseException("not the format", 1);
                      }))
          .isInstanceOf(ParseException.class)
          .hasMessageContaining("not the format");
    }

    @Test
    void cutsATricklingBodyAtTheDeadlineWhileAReaderStreamsIt() {
      server.respondTrickling("y".repeat(600), Duration.ofMillis(100));
      URI uri = server.uri("/x");

      assertThatThrownBy(() -> hasty.fetch(uri, in -> in.readAllBytes().length))
          .isInstanceOf(FetchException.class)
          .hasMessageStartingWith("GET " + uri + ": deadline of 2s exceeded after ");
    }

    @Test
    void cutsATricklingBodyAtTheDeadline() {
      server.respondTrickling("y".repeat(600), Duration.ofMillis(100));
      URI uri = server.uri("/x");

      assertThatThrownBy(() -> hasty.fetch(uri))
          .isInstanceOf(FetchException.class)
          .hasMessageStartingWith("GET " + uri + ": deadline of 2s exceeded after ")
          .hasMessageEndingWith(" bytes");
    }

    @Test
    void cutsSlowHeadersAtTheDeadline() {
      server.respondWith(
          exchange -> {
            try {
              Thread.sleep(30_000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      URI uri = server.uri("/x");

      assertThatThrownBy(() -> hasty.fetch(uri))
          .hasMessage("GET " + uri + ": deadline of 2s exceeded before the response headers");
    }

    @Test
    void failsOnAnEncodingItDidNotAskFor() {
      server.respondWith(
          exchange -> {
            exchange.getResponseHeaders().set("Content-Encoding", "br");
            exchange.sendResponseHeaders(200, 3);
            exchange.getResponseBody().write(new byte[] {1, 2, 3});
          });
      URI uri = server.uri("/x");

      assertThatThrownBy(() -> fetcher.fetch(uri))
          .hasMessage("GET " + uri + ": unsupported Content-Encoding \"br\"");
    }

    @Test
    void failsOnBadGzip() {
      server.respondWith(
          exchange -> {
            byte[] notGzip = "plain text".getBytes(UTF_8);
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, notGzip.length);
            exchange.getResponseBody().write(notGzip);
          });
      URI uri = server.uri("/x");

      assertThatThrownBy(() -> fetcher.fetch(uri))
          .hasMessageStartingWith("GET " + uri + ": bad gzip body");
    }
  }

  @Test
  void refusesACertificateTheSystemDoesNotTrust(@TempDir Path dir) throws Exception {
    try (TestHttpsServer server = TestHttpsServer.start(dir, "")) {
      URI uri = server.uri("/x");
      assertThatThrownBy(() -> fetcher.fetch(uri))
          .isInstanceOf(FetchException.class)
          .hasMessageStartingWith("GET " + uri + ": SSLHandshakeException");
    }
  }

  @Test
  void failsWhenTheConnectionIsRefused() throws IOException {
    URI uri = TestHttpServer.closedPortUri("/x");

    assertThatThrownBy(() -> fetcher.fetch(uri))
        .isInstanceOf(FetchException.class)
        .hasMessage("GET " + uri + ": connection refused");
  }

  @Nested
  class FromFiles {

    @TempDir Path dir;

    @Test
    void readsAFileUri() throws Exception {
      Path file = Files.writeString(dir.resolve("inventory.json"), "[]");

      assertThat(fetcher.fetch(file.toUri())).asString(UTF_8).isEqualTo("[]");
    }

    @Test
    void failsOnAMissingFile() {
      URI uri = dir.resolve("missing.json").toUri();

      assertThatThrownBy(() -> fetcher.fetch(uri)).hasMessage("read " + uri + ": no such file");
    }

    @Test
    void refusesAFifoInsteadOfWaitingForAWriter() throws Exception {
      Path fifo = dir.resolve("inventory.fifo");
      Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
      assertThat(mkfifo.waitFor()).isZero();
      URI uri = fifo.toUri();

      assertThatThrownBy(() -> fetcher.fetch(uri))
          .isInstanceOf(FetchException.class)
          .hasMessage(
              "read "
                  + uri
                  + ": not a regular file (a FIFO, socket or device); give the path of a file");
    }

    @Test
    void refusesADevice() {
      assertThatThrownBy(() -> fetcher.fetch(URI.create("file:/dev/zero")))
          .hasMessageContaining("not a regular file (a FIFO, socket or device)");
    }

    @Test
    void streamsAFileThroughAReader() throws Exception {
      Path file = Files.writeString(dir.resolve("page"), "a\nb\n");

      int length = fetcher.fetch(file.toUri(), in -> in.readAllBytes().length);

      assertThat(length).isEqualTo(4);
    }

    @Test
    void failsOnAFileOverTheLimit() throws IOException {
      URI uri = Files.writeString(dir.resolve("big"), "z".repeat(2000)).toUri();

      assertThatThrownBy(() -> fetcher.fetch(uri))
          .hasMessage("read " + uri + ": body larger than 1024 bytes");
    }
  }

  @Test
  void rejectsOtherSchemes() {
    assertThatThrownBy(() -> fetcher.fetch(URI.create("ftp://127.0.0.1/x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] gzippedZeros(long size) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] zeros = new byte[64 * 1024];
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      for (long written = 0; written < size; written += zeros.length) {
        gzip.write(zeros);
      }
    }
    return out.toByteArray();
  }
}
