package io.planetexporter.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes a small whole response, with no body for HEAD. */
public final class Responses {

  public static final String TEXT = "text/plain; charset=utf-8";

  private Responses() {}

  public static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends the body with its length, or only the headers to a HEAD request. */
  public static void send(HttpExchange exchange, int status, String type, byte[] bytes)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  public static void text(HttpExchange exchange, int status, String body) throws IOException {
    send(exchange, status, TEXT, body);
  }
}
