package io.planetexporter.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.planetexporter.web.Responses;
import java.io.IOException;
import java.util.concurrent.Semaphore;

/**
 * {@code /metrics}: client_java's handler, with at most a few scrapes rendered at once. One more is
 * answered 503 at once rather than queued: a queue of scrapes only grows under a client that
 * retries fast, and every queued scrape would hold a server thread and its output in memory.
 */
final class MetricsEndpoint implements HttpHandler {

  static final int MAX_CONCURRENT_SCRAPES = 4;

  private final HttpHandler metrics;
  private final Semaphore scrapes = new Semaphore(MAX_CONCURRENT_SCRAPES);

  MetricsEndpoint(HttpHandler metrics) {
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    if (!scrapes.tryAcquire()) {
      exchange.getResponseHeaders().set("Retry-After", "1");
      Responses.text(
          exchange,
          503,
          "too many concurrent scrapes (at most " + MAX_CONCURRENT_SCRAPES + "), try again\n");
      return;
    }
    try {
      metrics.handle(exchange);
    } finally {
      scrapes.release();
    }
  }
}
