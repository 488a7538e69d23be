package io.planetexporter.textformat;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One sample line of a Prometheus text page.
 *
 * @param name the metric name as written, e.g. {@code host_bytes_total} or {@code foo_bucket}
 * @param labels label names to (unescaped) values, in the order of the line
 * @param value the value; may be NaN or infinite
 * @param timestampMillis the optional timestamp, in milliseconds since the epoch
 */
public record Sample(
    String name, Map<String, String> labels, double value, OptionalLong timestampMillis) {

  public Sample {
    requireNonNull(name, "name");
    requireNonNull(timestampMillis, "timestampMillis");
    // The parser's labels are immutable already; a copy would double the garbage of a large page.
    if (!(labels instanceof LineLabels)) {
      labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }
  }
}
