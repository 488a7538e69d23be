package io.planetexporter.map;

import java.time.Instant;
import java.util.Map;

/**
 * The parameters of a diff: {@code from} (required) and {@code to} (default now), both {@link
 * Timestamps}, and the graph's filters ({@code range}, {@code hostgroup}, {@code depth} as {@link
 * Request}) applied at both times: the map of {@code [from - range, from]} against that of {@code
 * [to - range, to]}.
 */
record DiffRequest(Request filters, Instant from, Instant to) {

  /**
   * Reads a raw query string ({@code null} for none).
   *
   * @throws IllegalArgumentException naming the parameter that is missing or does not parse
   */
  static DiffRequest parse(String rawQuery, Instant now) {
    return of(Request.params(rawQuery), now);
  }

  /** As {@link #parse}, from parameters already decoded. */
  static DiffRequest of(Map<String, String> params, Instant now) {
    Request filters = Request.of(params, now);
    String from = params.getOrDefault("from", "");
    if (from.isEmpty()) {
      throw new IllegalArgumentException("from: required");
    }
    String to = params.getOrDefault("to", "");
    return new DiffRequest(
        filters,
        Timestamps.parse("from", from, now),
        to.isEmpty() ? now : Timestamps.parse("to", to, now));
  }
}
