package io.planetexporter.map;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.planetexporter.api.GoDuration;
import java.net.URLDecoder;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a map request: {@code range} (a duration, default 1h), {@code hostgroup} (a
 * node to focus, or a workload namespace's nodes as {@code shop/*}; optional), {@code depth} (edges
 * away from it, 1 to 10, default 1) and {@code at} (the end of the range, {@link Timestamps}: RFC
 * 3339 or Unix seconds, not in the future; default now, empty).
 */
record Request(Duration range, Optional<String> hostgroup, int depth, Optional<Instant> at) {

  static final Duration DEFAULT_RANGE = Duration.ofHours(1);
  static final int MAX_DEPTH = 10;

  /**
   * Reads a raw query string ({@code null} for none).
   *
   * @throws IllegalArgumentException naming the parameter when a value does not parse
   */
  static Request parse(String rawQuery) {
    return parse(rawQuery, Instant.now());
  }

  /** As {@link #parse(String)}, with {@code at} checked against {@code now}. */
  static Request parse(String rawQuery, Instant now) {
    return of(params(rawQuery), now);
  }

  /** As {@link #parse(String, Instant)}, from parameters already decoded. */
  static Request of(Map<String, String> params, Instant now) {
    Duration range = DEFAULT_RANGE;
    String rangeText = params.getOrDefault("range", "");
    if (!rangeText.isEmpty()) {
      try {
        range = GoDuration.parse(rangeText);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("range: " + e.getMessage(), e);
      }
      if (range.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("range: must be at least 1s, got \"" + rangeText + "\"");
      }
    }
    int depth = 1;
    String depthText = params.getOrDefault("depth", "");
    if (!depthText.isEmpty()) {
      try {
        depth = Integer.parseInt(depthText);
      } catch (NumberFormatException e) {
        depth = -1;
      }
      if (depth < 1 || depth > MAX_DEPTH) {
        throw new IllegalArgumentException(
            "depth: want a whole number from 1 to " + MAX_DEPTH + ", got \"" + depthText + "\"");
      }
    }
    String hostgroup = params.getOrDefault("hostgroup", "");
    String atText = params.getOrDefault("at", "");
    return new Request(
        range,
        hostgroup.isEmpty() ? Optional.empty() : Optional.of(hostgroup),
        depth,
        atText.isEmpty() ? Optional.empty() : Optional.of(Timestamps.parse("at", atText, now)));
  }

  /** The decoded parameters of a raw query string ({@code null} for none), the last one winning. */
  static Map<String, String> params(String rawQuery) {
    Map<String, String> params = new HashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        int equals = pair.indexOf('=');
        String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), UTF_8);
        String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), UTF_8);
        params.put(name, value);
      }
    }
    return params;
  }

  /** The end of the range: {@code at}, else {@code now}. */
  Instant end(Instant now) {
    return at.orElse(now);
  }

  /** The range as written in links, e.g. {@code 1h}. */
  String rangeText() {
    return GoDuration.format(range);
  }
}
