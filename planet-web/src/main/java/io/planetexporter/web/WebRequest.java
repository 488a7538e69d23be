package io.planetexporter.web;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A request as the endpoints see it, whole and read: the front hands an endpoint nothing before the
 * request line and every header have arrived.
 *
 * @param method the method, as sent ({@code GET})
 * @param path the decoded, normalised path: no {@code .} or {@code ..} segment is left in it
 * @param rawQuery the query as sent, without {@code ?}; null when there is none
 * @param headers every header's values by its lower-case name
 */
public record WebRequest(
    String method, String path, String rawQuery, Map<String, List<String>> headers) {

  public WebRequest {
    headers = Map.copyOf(headers);
  }

  /** The values of a header, in the order sent; empty when it was not sent. */
  public List<String> headers(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  /** The first value of a header. */
  public Optional<String> header(String name) {
    return headers(name).stream().findFirst();
  }

  public boolean isHead() {
    return method.equals("HEAD");
  }
}
