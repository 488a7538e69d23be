package io.planetexporter.server;

import static java.util.Objects.requireNonNull;

import java.util.logging.Level;

/**
 * How the program logs.
 *
 * @param level the lowest level written
 * @param json whether lines are JSON objects rather than logfmt
 * @param timestamps whether lines carry the time
 * @param colors whether levels may be colored (still only on a terminal)
 */
public record LogSettings(Level level, boolean json, boolean timestamps, boolean colors) {

  public LogSettings {
    requireNonNull(level, "level");
  }
}
