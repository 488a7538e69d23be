package io.planetexporter.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;

/** {@code /-/healthy}: 200 while the server serves; it touches nothing that could block. */
public final class HealthyHandler implements HttpHandler {

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Responses.text(exchange, 200, "OK\n");
  }
}
