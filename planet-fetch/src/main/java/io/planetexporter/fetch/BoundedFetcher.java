// Over 400 lines: the deadline, size cap, redirects and gzip of one fetch, for http(s) and file:
// alike, are one concern; its limited stream is an inner class because it shares the fetch's cap.
package io.planetexporter.fetch;

import static java.util.Objects.requireNonNull;

import io.planetexporter.api.GoDuration;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Fetches a whole document over http(s) or from a {@code file:} URI, within a deadline and a size
 * limit, either into memory or, for a large one, through a reader that parses it as it arrives.
 *
 * <pre>{@code
 * BoundedFetcher fetcher = new BoundedFetcher(Duration.ofSeconds(30), 64L << 20);
 * byte[] body = fetcher.fetch(URI.create("http://localhost:51666/metrics"));
 * long lines = fetcher.fetch(uri, in -> countLines(in)); // never holds the body
 * }</pre>
 *
 * <p>The deadline covers connecting, the response headers and the whole body: the JDK's request
 * timeout stops at the headers, so a body that trickles in slowly is cut here by closing its stream
 * when the deadline passes. The size limit applies to the body after gzip decoding, so a small
 * compressed body cannot expand without bound in memory. https uses the JVM's default trust store
 * unless {@link FetchAuth} gives a CA. Redirects are followed (at most 5) within the same scheme,
 * host and port unless allowed further. Credentials come from {@link FetchAuth} or the URL's
 * userinfo; no message shows them or a query-string value ({@link Redaction}). {@code file:} reads
 * are bounded in size but not in time, so only regular files are read (a FIFO or a device could
 * trickle forever). What a fetch and its reader hold is charged to the process's {@link
 * MemoryBudget} before it is allocated; a fetch that would pass it fails instead.
 *
 * <p>Longer than this project's ~300 lines on purpose: the deadline and the size limit are one
 * budget per fetch that every step spends (redirects, headers, gzip decoding, the caller's reader,
 * the file branch), and the private stream class and exception that enforce it read the fetcher's
 * limit and message. Split up, each piece would take the budget as parameters and the reader of one
 * failure message would follow it through several files.
 */
public final class BoundedFetcher {

  /**
   * What one fetch holds itself while it reads, charged before it starts: a line of up to 1 MiB
   * (the text and ndjson readers' limit) or a JSON string of up to 1 MiB (as chars and as a
   * String), and the I/O buffers.
   */
  public static final long READING_BYTES = 4L << 20;

  private static final int MAX_CHUNK = 1 << 20;
  private static final int MAX_REDIRECTS = 5;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final Duration deadline;
  private final long maxBytes;
  private final HttpClient client;
  private final FetchAuth auth;

  /**
   * @param deadline how long a whole fetch may take, positive
   * @param maxBytes the largest body accepted, after decoding; positive and below 2 GiB
   */
  public BoundedFetcher(Duration deadline, long maxBytes) {
    this(deadline, maxBytes, FetchAuth.NONE);
  }

  /**
   * @param deadline how long a whole fetch may take, redirects included, positive
   * @param maxBytes the largest body accepted, after decoding; positive and below 2 GiB
   * @param auth credentials, TLS and redirect policy
   */
  public BoundedFetcher(Duration deadline, long maxBytes, FetchAuth auth) {
    requireNonNull(deadline, "deadline");
    this.auth = requireNonNull(auth, "auth");
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive, got " + deadline);
    }
    if (maxBytes <= 0 || maxBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxBytes must be in 1.." + (Integer.MAX_VALUE - 8));
    }
    this.deadline = deadline;
    this.maxBytes = maxBytes;
    HttpClient.Builder client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(deadline)
            // Followed here, to keep credentials on their origin and the redirects on it.
            .followRedirects(HttpClient.Redirect.NEVER);
    auth.tls().ifPresent(client::sslContext);
    this.client = client.build();
  }

  /**
   * Returns the whole body of the document at {@code uri}, gzip-decoded.
   *
   * @param uri an {@code http}, {@code https} or {@code file} URI
   * @throws FetchException when the source cannot be reached or read, answers HTTP status 400 or
   *     above, sends more than the size limit, or does not finish within the deadline
   * @throws IllegalArgumentException for any other URI scheme
   */
  public byte[] fetch(URI uri) throws FetchException {
    MemoryBudget.Account memory = temporaryAccount(uri);
    try {
      return fetch(uri, memory, in -> readBounded(in, memory));
    } finally {
      memory.settle(0); // the body is the caller's once returned
    }
  }

  /** Reads a body as it arrives. */
  @FunctionalInterface
  public interface BodyReader<T, E extends Exception> {

    /**
     * Reads the body, gzip-decoded, to its end. The stream throws an {@link IOException} once the
     * body passes the size limit or the deadline passes; the reader lets it propagate.
     */
    T read(InputStream body) throws IOException, E;
  }

  /**
   * Streams the body of the document at {@code uri}, gzip-decoded, through {@code reader}, so that
   * the body is never held in memory; the deadline covers the reading. What the reader returns is
   * returned.
   *
   * @throws FetchException as {@link #fetch(URI)}, and when the reader throws an {@link
   *     IOException}
   * @throws E what the reader throws
   */
  public <T, E extends Exception> T fetch(URI uri, BodyReader<T, E> reader)
      throws FetchException, E {
    MemoryBudget.Account memory = temporaryAccount(uri);
    try {
      return fetch(uri, memory, reader);
    } finally {
      memory.settle(0);
    }
  }

  /**
   * As {@link #fetch(URI, BodyReader)}, within the task's share of the memory budget: {@link
   * #READING_BYTES} are charged to {@code memory} before the first byte is read (and released once
   * the reading ends), and the reader charges what it builds from the body to the same account.
   *
   * @throws FetchException also when a charge does not fit in the budget; the message names the
   *     document, the account and the budget
   */
  public <T, E extends Exception> T fetch(
      URI uri, MemoryBudget.Account memory, BodyReader<T, E> reader) throws FetchException, E {
    try {
      memory.charge(READING_BYTES);
    } catch (MemoryBudgetException e) {
      throw overBudget(uri, e);
    }
    try {
      String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
      switch (scheme) {
        case "http":
        case "https":
          return fetchHttp(uri, reader);
        case "file":
          return readFile(uri, reader);
        default:
          throw new IllegalArgumentException("unsupported URI scheme: " + Redaction.uri(uri));
      }
    } catch (MemoryBudgetException e) {
      throw overBudget(uri, e);
    } finally {
      memory.settle(memory.held() - READING_BYTES);
    }
  }

  private static FetchException overBudget(URI uri, MemoryBudgetException e) {
    return new FetchException(Redaction.uri(uri) + ": " + e.getMessage());
  }

  private static MemoryBudget.Account temporaryAccount(URI uri) {
    return MemoryBudget.heap().account("fetch of " + Redaction.uri(uri));
  }

  private <T, E extends Exception> T fetchHttp(URI uri, BodyReader<T, E> reader)
      throws FetchException, E {
    long deadlineNanos = System.nanoTime() + deadline.toNanos();
    Optional<String> authorization = Credentials.authorization(auth, uri);
    URI target = Credentials.withoutUserInfo(uri);
    for (int redirects = 0; ; redirects++) {
      String what = "GET " + Redaction.uri(target);
      HttpResponse<InputStream> response = send(target, authorization, deadlineNanos, what);
      Optional<String> location = response.headers().firstValue("Location");
      if (!REDIRECTS.contains(response.statusCode()) || location.isEmpty()) {
        return readBody(response, deadlineNanos, what, reader);
      }
      closeQuietly(response.body());
      URI next;
      try {
        next = Credentials.withoutUserInfo(target.resolve(location.get().trim()));
      } catch (IllegalArgumentException e) {
        throw new FetchException(what + ": HTTP " + response.statusCode() + " to a bad Location");
      }
      if (redirects >= MAX_REDIRECTS) {
        throw new FetchException(what + ": more than " + MAX_REDIRECTS + " redirects");
      }
      if (!Credentials.sameOrigin(target, next)) {
        if (!auth.crossOriginRedirects()) {
          throw new FetchException(
              what
                  + ": HTTP "
                  + response.statusCode()
                  + " redirect to another scheme, host or port refused: "
                  + Redaction.uri(next));
        }
        authorization = Optional.empty(); // credentials stay with the origin they are for
      }
      target = next;
    }
  }

  private HttpResponse<InputStream> send(
      URI target, Optional<String> authorization, long deadlineNanos, String what)
      throws FetchException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(target)
            .timeout(Duration.ofNanos(Math.max(1, remainingNanos(deadlineNanos))))
            .header("Accept-Encoding", "gzip");
    authorization.ifPresent(value -> builder.header("Authorization", value));
    CompletableFuture<HttpResponse<InputStream>> pending =
        client.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
    try {
      return pending.get(remainingNanos(deadlineNanos), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new FetchException(what + ": " + deadlineExceeded() + " before the response headers");
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new FetchException(what + ": interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof HttpTimeoutException) {
        throw new FetchException(what + ": " + deadlineExceeded() + " before the response headers");
      }
      throw new FetchException(what + ": " + describe(e.getCause()));
    }
  }

  private <T, E extends Exception> T readBody(
      HttpResponse<InputStream> response, long deadlineNanos, String what, BodyReader<T, E> reader)
      throws FetchException, E {
    InputStream raw = response.body();
    StreamDeadline deadline = StreamDeadline.start(raw, remainingNanos(deadlineNanos));
    CountingInputStream counted = new CountingInputStream(raw);
    try (raw) {
      if (response.statusCode() >= 400) {
        throw new FetchException(what + ": HTTP " + response.statusCode());
      }
      OptionalLong length = response.headers().firstValueAsLong("Content-Length");
      if (length.isPresent() && length.getAsLong() > maxBytes) {
        throw new FetchException(what + ": " + tooLarge());
      }
      String encoding = response.headers().firstValue("Content-Encoding").orElse("identity").trim();
      boolean gzip = encoding.equalsIgnoreCase("gzip");
      if (!gzip && !encoding.equalsIgnoreCase("identity")) {
        throw new FetchException(what + ": unsupported Content-Encoding \"" + encoding + "\"");
      }
      InputStream body = new LimitedInputStream(gzip ? new GZIPInputStream(counted) : counted);
      T document;
      try {
        document = reader.read(body);
      } catch (Exception e) {
        // A stream closed under the reader may end mid-line, which the reader calls garbage.
        if (deadline.expired()) {
          throw cutAtDeadline(what, counted);
        }
        throw e;
      }
      deadline.close();
      // A stream closed under the reader may end as if the body were complete: never trust it.
      if (deadline.expired()) {
        throw cutAtDeadline(what, counted);
      }
      return document;
    } catch (IOException e) {
      throw deadline.expired()
          ? cutAtDeadline(what, counted)
          : new FetchException(what + ": " + describe(e));
    } finally {
      deadline.close();
    }
  }

  private <T, E extends Exception> T readFile(URI uri, BodyReader<T, E> reader)
      throws FetchException, E {
    String what = "read " + Redaction.uri(uri);
    Path path;
    try {
      path = Path.of(uri);
    } catch (IllegalArgumentException e) {
      throw new FetchException(what + ": " + describe(e));
    }
    try {
      // Checked before opening: opening a FIFO blocks until a writer comes, and neither a FIFO
      // nor a device ends within any deadline.
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        throw new FetchException(
            what
                + ": not a regular file ("
                + (attributes.isDirectory() ? "a directory" : "a FIFO, socket or device")
                + "); give the path of a file");
      }
      // A regular file's size is known: refuse a large one without reading it.
      if (attributes.size() > maxBytes) {
        throw new FetchException(what + ": " + tooLarge());
      }
      try (InputStream in = Files.newInputStream(path)) {
        return reader.read(new LimitedInputStream(in));
      }
    } catch (NoSuchFileException e) {
      throw new FetchException(what + ": no such file");
    } catch (IOException e) {
      throw new FetchException(what + ": " + describe(e));
    }
  }

  /**
   * Reads the whole stream, failing once it passes the limit. Memory is the point: the exporter's
   * heap is small, so the body is read into chunks that grow with it (never a doubling buffer that
   * briefly needs three times the body) and copied once at the end; an oversized body costs at most
   * the limit before it fails. Each chunk, and the final copy, is charged to the budget before it
   * is allocated.
   */
  private byte[] readBounded(InputStream in, MemoryBudget.Account memory) throws IOException {
    List<byte[]> chunks = new ArrayList<>();
    int chunkSize = 16 * 1024;
    long total = 0;
    while (true) {
      // The stream is limited: it fails before this passes the limit.
      int size = (int) Math.min(chunkSize, maxBytes + 1 - total);
      memory.charge(size);
      byte[] chunk = new byte[size];
      int filled = in.readNBytes(chunk, 0, chunk.length);
      total += filled;
      if (filled < chunk.length) {
        chunks.add(Arrays.copyOf(chunk, filled));
        break;
      }
      chunks.add(chunk);
      chunkSize = Math.min(chunkSize * 2, MAX_CHUNK);
    }
    memory.charge(total);
    byte[] body = new byte[(int) total];
    int offset = 0;
    for (byte[] chunk : chunks) {
      System.arraycopy(chunk, 0, body, offset, chunk.length);
      offset += chunk.length;
    }
    return body;
  }

  private FetchException cutAtDeadline(String what, CountingInputStream counted) {
    return new FetchException(
        what + ": " + deadlineExceeded() + " after " + counted.count() + " bytes");
  }

  private String tooLarge() {
    return "body larger than " + maxBytes + " bytes";
  }

  private String deadlineExceeded() {
    return "deadline of " + GoDuration.format(deadline) + " exceeded";
  }

  private static long remainingNanos(long deadlineNanos) {
    return Math.max(0, deadlineNanos - System.nanoTime());
  }

  static String describe(Throwable e) {
    if (e instanceof TooLargeException) {
      return e.getMessage();
    }
    if (e instanceof ConnectException) {
      // The JDK's client leaves the message out when the port refuses.
      return e.getMessage() == null ? "connection refused" : "connect: " + e.getMessage();
    }
    if (e instanceof ZipException) {
      return "bad gzip body: " + e.getMessage();
    }
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + message;
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // A redirect's body is of no interest, nor whether it closed cleanly.
    }
  }

  /** A body that passed the size limit. */
  private static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(String message) {
      super(message);
    }
  }

  /** Fails the read that would take the body past the size limit. */
  private final class LimitedInputStream extends FilterInputStream {
    private long count;

    LimitedInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b != -1) {
        counted(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        counted(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      counted(skipped);
      return skipped;
    }

    private void counted(long n) throws TooLargeException {
      count += n;
      if (count > maxBytes) {
        throw new TooLargeException(tooLarge());
      }
    }
  }
}
