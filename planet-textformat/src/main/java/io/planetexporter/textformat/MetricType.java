package io.planetexporter.textformat;

import java.util.Locale;
import java.util.Optional;

/** The types a {@code # TYPE} line may declare in text format 0.0.4. */
public enum MetricType {
  COUNTER,
  GAUGE,
  HISTOGRAM,
  SUMMARY,
  UNTYPED;

  /** The type written as {@code text} in a TYPE line (lower case only, as the format says). */
  static Optional<MetricType> fromText(String text) {
    for (MetricType type : values()) {
      if (type.name().toLowerCase(Locale.ROOT).equals(text)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
