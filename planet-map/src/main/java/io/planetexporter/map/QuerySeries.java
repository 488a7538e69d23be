package io.planetexporter.map;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One series of an instant query's answer.
 *
 * @param labels the series' labels, without {@code __name__}
 * @param value its value
 */
record QuerySeries(Map<String, String> labels, double value) {

  QuerySeries {
    labels = Map.copyOf(labels);
  }

  /** The label's value, {@code ""} when the series has no such label (as PromQL reads it). */
  String label(String name) {
    requireNonNull(name, "name");
    return labels.getOrDefault(name, "");
  }
}
