package io.planetexporter.web;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * Lets only GET and HEAD of exactly the context's path through: the JDK matches a context by
 * prefix, so {@code /metricsx} would otherwise reach {@code /metrics}. 404 and 405 otherwise.
 */
public final class ExactPath extends Filter {

  private final String path;

  public ExactPath(String path) {
    this.path = path;
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    if (!exchange.getRequestURI().getPath().equals(path)) {
      Responses.text(exchange, 404, "404 page not found\n");
      return;
    }
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      Responses.text(exchange, 405, "method not allowed\n");
      return;
    }
    chain.doFilter(exchange);
  }

  @Override
  public String description() {
    return "only GET and HEAD of " + path;
  }
}
