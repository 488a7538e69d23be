package io.planetexporter.dist;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stand-in for another exporter (darkstat, ebpf_exporter): a server on 127.0.0.1 answering {@code
 * /metrics} with a page the test sets.
 *
 * <pre>{@code
 * try (LoopbackPage darkstat = LoopbackPage.serving(DarkstatIT.class, "DarkstatIT/metrics.txt")) {
 *   ExporterProcess.start("-task-darkstat-enabled", "-task-darkstat-addr", darkstat.url());
 * }
 * }</pre>
 */
final class LoopbackPage implements AutoCloseable {

  private final HttpServer server;
  private final AtomicReference<byte[]> page;

  private LoopbackPage(HttpServer server, AtomicReference<byte[]> page) {
    this.server = server;
    this.page = page;
  }

  /** Starts serving the resource {@code name} of {@code owner}'s package. */
  static LoopbackPage serving(Class<?> owner, String name) throws IOException {
    AtomicReference<byte[]> page = new AtomicReference<>(resource(owner, name));
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] body = page.get();
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return new LoopbackPage(server, page);
  }

  /**
   * Starts serving the files in turn, one a request, from the first again after the last; each is
   * streamed from its file, never held.
   */
  static LoopbackPage servingInTurn(Path... pages) throws IOException {
    AtomicLong requests = new AtomicLong();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/metrics",
        exchange -> {
          Path page = pages[(int) (requests.getAndIncrement() % pages.length)];
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, Files.size(page));
          try (OutputStream body = exchange.getResponseBody()) {
            Files.copy(page, body);
          } catch (IOException e) {
            // The exporter hung up (a refused or cut fetch): the next request gets the next page.
          }
          exchange.close();
        });
    server.start();
    return new LoopbackPage(server, new AtomicReference<>());
  }

  static byte[] resource(Class<?> owner, String name) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no resource " + name + " next to " + owner);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** From now on, answer with this page. */
  void serve(byte[] body) {
    page.set(body);
  }

  /** {@code http://127.0.0.1:<port>/metrics}. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
