package io.planetexporter.web;

import java.io.IOException;

/**
 * What answers a request. It runs on one of the front's few threads and may block (a scrape, a
 * query to Prometheus); it returns the whole response, which the front writes afterwards.
 */
@FunctionalInterface
public interface Endpoint {

  /** {@code /-/healthy}: 200 while the server serves; it touches nothing that could block. */
  Endpoint HEALTHY = request -> WebResponse.text(200, "OK\n");

  /**
   * The response. An exception becomes a 500 without its message or stack.
   *
   * @throws IOException when the response cannot be made
   */
  WebResponse answer(WebRequest request) throws IOException;
}
