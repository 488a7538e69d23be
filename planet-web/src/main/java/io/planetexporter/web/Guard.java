package io.planetexporter.web;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * First on every path: adds the web config's response headers, counts the exchanges in flight (for
 * a graceful stop) and turns any failure below into a 500 without a stack trace.
 */
public final class Guard extends Filter {

  private static final Logger logger = Logger.getLogger(Guard.class.getName());

  private final Map<String, String> headers;
  private final AtomicInteger inFlight;

  public Guard(Map<String, String> headers, AtomicInteger inFlight) {
    this.headers = Map.copyOf(headers);
    this.inFlight = inFlight;
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) {
    inFlight.incrementAndGet();
    try (exchange) {
      headers.forEach(exchange.getResponseHeaders()::set);
      chain.doFilter(exchange);
    } catch (IOException | RuntimeException e) {
      LogRecord record = new LogRecord(Level.FINE, "request failed");
      record.setParameters(new Object[] {"path", exchange.getRequestURI().getPath()});
      record.setThrown(e);
      record.setLoggerName(logger.getName());
      logger.log(record);
      try {
        Responses.text(exchange, 500, "internal error\n");
      } catch (IOException | RuntimeException ignored) {
        // the response had already begun; the client sees a cut connection
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  @Override
  public String description() {
    return "response headers, in-flight count, no stack trace in a response";
  }
}
