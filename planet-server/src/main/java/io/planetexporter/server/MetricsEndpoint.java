package io.planetexporter.server;

import io.planetexporter.web.Endpoint;
import io.planetexporter.web.WebRequest;
import io.planetexporter.web.WebResponse;
import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * {@code /metrics}: client_java's {@link PrometheusScrapeHandler} (content negotiation, gzip,
 * {@code name[]} filters), with at most a few scrapes rendered at once. A scrape renders into
 * memory under its slot and gives the slot back before the front writes a byte, so a client that
 * reads slowly holds no slot. One scrape beyond the limit is answered 503 at once rather than
 * queued: a queue of scrapes only grows under a client that retries fast.
 */
final class MetricsEndpoint implements Endpoint {

  static final int MAX_CONCURRENT_SCRAPES = 4;

  private static final Logger logger = Logger.getLogger(MetricsEndpoint.class.getName());
  private static final WebResponse BUSY =
      WebResponse.text(
              503,
              "too many concurrent scrapes (at most " + MAX_CONCURRENT_SCRAPES + "), try again\n")
          .with("Retry-After", "1");
  private static final WebResponse FAILED =
      WebResponse.text(500, "An Exception occurred while scraping metrics\n");

  private final PrometheusScrapeHandler scrapes;
  private final Semaphore slots = new Semaphore(MAX_CONCURRENT_SCRAPES);

  MetricsEndpoint(PrometheusScrapeHandler scrapes) {
    this.scrapes = scrapes;
  }

  @Override
  public WebResponse answer(WebRequest request) throws IOException {
    if (!slots.tryAcquire()) {
      return BUSY;
    }
    try {
      Exchange exchange = new Exchange(request);
      scrapes.handleRequest(exchange);
      return exchange.response();
    } finally {
      slots.release();
    }
  }

  /** client_java's view of one scrape, answered into memory. */
  private static final class Exchange
      implements PrometheusHttpExchange, PrometheusHttpRequest, PrometheusHttpResponse {

    private final WebRequest request;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Body body = new Body(0);
    private int status;
    private boolean failed;

    Exchange(WebRequest request) {
      this.request = request;
    }

    WebResponse response() {
      if (failed || status == 0) {
        return FAILED;
      }
      String type = headers.getOrDefault("Content-Type", WebResponse.TEXT);
      WebResponse response = WebResponse.of(status, type, body.bytes());
      for (Map.Entry<String, String> header : headers.entrySet()) {
        // The front sets the type and the length itself.
        if (!header.getKey().equals("Content-Type") && !header.getKey().equals("Content-Length")) {
          response = response.with(header.getKey(), header.getValue());
        }
      }
      return response;
    }

    @Override
    public PrometheusHttpRequest getRequest() {
      return this;
    }

    @Override
    public PrometheusHttpResponse getResponse() {
      return this;
    }

    @Override
    public void handleException(IOException e) {
      fail(e);
    }

    @Override
    public void handleException(RuntimeException e) {
      fail(e);
    }

    private void fail(Exception e) {
      failed = true;
      LogRecord record = new LogRecord(Level.WARNING, "scrape failed");
      record.setThrown(e);
      record.setLoggerName(logger.getName());
      logger.log(record);
    }

    @Override
    public void close() {
      // Nothing to release: the body is in memory, and the front writes it.
    }

    @Override
    public String getQueryString() {
      return request.rawQuery();
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return Collections.enumeration(request.headers(name));
    }

    /**
     * Always GET: the front sends a HEAD request the headers of the GET, its length included, and
     * drops the body itself.
     */
    @Override
    public String getMethod() {
      return "GET";
    }

    @Override
    public String getRequestPath() {
      return request.path();
    }

    @Override
    public void setHeader(String name, String value) {
      headers.put(name, value);
    }

    @Override
    public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) {
      status = statusCode;
      body = new Body(contentLength);
      return body;
    }
  }

  /**
   * The body, sized to the length client_java announces (it knows it unless it gzips), so that a
   * page of megabytes is neither grown by doubling nor copied once more at the end: under the
   * exporter's small young generation each such array goes straight to the old one.
   */
  private static final class Body extends ByteArrayOutputStream {

    Body(int expected) {
      super(Math.max(expected, 32));
    }

    byte[] bytes() {
      return count == buf.length ? buf : toByteArray();
    }
  }
}
