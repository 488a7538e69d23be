package io.planetexporter.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whole response, made in memory before a byte of it is written: what an endpoint renders (under
 * whatever limit it keeps) is then written by the front without the endpoint, so a client that
 * reads slowly holds neither the endpoint's resources nor a thread.
 *
 * @param status the status code
 * @param contentType the {@code Content-Type}
 * @param headers further headers, in order
 * @param body the body; the front sends only its length to a HEAD request
 */
public record WebResponse(
    int status, String contentType, Map<String, String> headers, byte[] body) {

  public static final String TEXT = "text/plain; charset=utf-8";

  public WebResponse {
    headers = Map.copyOf(headers);
  }

  public static WebResponse of(int status, String contentType, byte[] body) {
    return new WebResponse(status, contentType, Map.of(), body);
  }

  public static WebResponse of(int status, String contentType, String body) {
    return of(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  public static WebResponse text(int status, String body) {
    return of(status, TEXT, body);
  }

  /** This response with one more header (or another value of it). */
  public WebResponse with(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new WebResponse(status, contentType, more, body);
  }
}
