package io.planetexporter.map;

import java.time.Duration;
import java.util.Map;

/**
 * The parameters of an edge's time series: the edge ({@code source}, {@code target}, {@code port},
 * {@code protocol}, all required, as in the graph's edges) and {@code range} (as {@link Request}).
 */
record EdgeRequest(Duration range, String source, String target, String port, String protocol) {

  /**
   * Reads a raw query string.
   *
   * @throws IllegalArgumentException naming the parameter that is missing or does not parse
   */
  static EdgeRequest parse(String rawQuery) {
    Duration range = Request.parse(rawQuery).range();
    Map<String, String> params = Request.params(rawQuery);
    return new EdgeRequest(
        range,
        required(params, "source"),
        required(params, "target"),
        required(params, "port"),
        required(params, "protocol"));
  }

  private static String required(Map<String, String> params, String name) {
    String value = params.getOrDefault(name, "");
    if (value.isEmpty()) {
      throw new IllegalArgumentException(name + ": required");
    }
    return value;
  }
}
