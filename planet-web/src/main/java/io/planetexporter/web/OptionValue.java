package io.planetexporter.web;

import static java.util.Objects.requireNonNull;

/**
 * An option's text as given, not yet interpreted, and where it came from.
 *
 * @param text the value as written
 * @param origin the flag, environment variable, config-file key or default it came from
 */
public record OptionValue(String text, Origin origin) {

  public OptionValue {
    requireNonNull(text, "text");
    requireNonNull(origin, "origin");
  }
}
