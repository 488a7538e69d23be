package io.planetexporter.testfixtures;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;

/**
 * A real HTTP server on {@code 127.0.0.1:0} for tests, whose answer each test sets.
 *
 * <pre>{@code
 * try (TestHttpServer server = TestHttpServer.start()) {
 *   server.respond(200, "[{\"ip_address\":\"10.0.0.1\",\"domain\":\"a\"}]");
 *   byte[] body = fetcher.fetch(server.uri("/inventory.json"));
 *   server.respondTrickling("slow body", Duration.ofMillis(100));
 * }
 * }</pre>
 *
 * <p>Every path gets the same answer. Handlers run on their own daemon threads, so a trickling
 * answer does not hold up the next request; {@link #close()} interrupts them.
 */
public final class TestHttpServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicReference<HttpHandler> handler = new AtomicReference<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicReference<Headers> lastRequestHeaders = new AtomicReference<>(new Headers());

  private TestHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
    respond(200, "");
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          lastRequestHeaders.set(exchange.getRequestHeaders());
          try (exchange) {
            handler.get().handle(exchange);
          } catch (IOException e) {
            // The client went away (a fetch cut by its deadline); nothing to answer.
          }
        });
  }

  /** Starts a server on a free loopback port, answering 200 with an empty body. */
  public static TestHttpServer start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService executor =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "test-http-server");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.start();
    return new TestHttpServer(server, executor);
  }

  /** An http URL of this server. */
  public URI uri(String path) {
    return URI.create(
        "http://127.0.0.1:"
            + server.getAddress().getPort()
            + (path.startsWith("/") ? "" : "/")
            + path);
  }

  /** An http URL of a loopback port nobody listens on (bound, then closed, so refused). */
  public static URI closedPortUri(String path) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    return URI.create("http://127.0.0.1:" + port + (path.startsWith("/") ? "" : "/") + path);
  }

  public void respond(int status, String body) {
    respond(status, body.getBytes(StandardCharsets.UTF_8));
  }

  /** Answers every request with this status and body. */
  public void respond(int status, byte[] body) {
    respondWith(
        exchange -> {
          exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
          exchange.getResponseBody().write(body);
        });
  }

  /** Answers 200 with the body gzip-compressed and {@code Content-Encoding: gzip}. */
  public void respondGzip(byte[] body) {
    byte[] compressed = gzip(body);
    respondWith(
        exchange -> {
          exchange.getResponseHeaders().set("Content-Encoding", "gzip");
          exchange.sendResponseHeaders(200, compressed.length);
          exchange.getResponseBody().write(compressed);
        });
  }

  public void respondGzip(String body) {
    respondGzip(body.getBytes(StandardCharsets.UTF_8));
  }

  /** Answers 200 with headers at once, then the body one byte per {@code perByte}. */
  public void respondTrickling(String body, Duration perByte) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    respondWith(
        exchange -> {
          exchange.sendResponseHeaders(200, bytes.length);
          OutputStream out = exchange.getResponseBody();
          for (byte b : bytes) {
            out.write(b);
            out.flush();
            try {
              Thread.sleep(perByte.toMillis());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
          }
        });
  }

  /** Answers with whatever the handler does; the exchange is closed after it. */
  public void respondWith(HttpHandler handler) {
    this.handler.set(handler);
  }

  /** Number of requests received so far. */
  public int requests() {
    return requests.get();
  }

  /** A header of the latest request, or null. */
  public String lastRequestHeader(String name) {
    return lastRequestHeaders.get().getFirst(name);
  }

  public static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
