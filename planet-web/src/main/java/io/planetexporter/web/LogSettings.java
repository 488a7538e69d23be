package io.planetexporter.web;

import static java.util.Objects.requireNonNull;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.OptionType;
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

  /** {@code -log-level}, the same in both programs. */
  public static final Flag LEVEL_FLAG =
      Flag.of("log-level", OptionType.STRING, "info", "Log level: debug, info, warn or error.");

  /** {@code -log-format}, the same in both programs. */
  public static final Flag FORMAT_FLAG =
      Flag.of("log-format", OptionType.STRING, "logfmt", "Log format: logfmt or json.");

  public LogSettings {
    requireNonNull(level, "level");
  }

  /**
   * Reads {@code -log-level} and {@code -log-format}.
   *
   * @throws ConfigurationException naming where a value came from when it is not a level or format
   */
  public static LogSettings read(
      OptionValue level, OptionValue format, boolean timestamps, boolean colors)
      throws ConfigurationException {
    return new LogSettings(level(level), json(format), timestamps, colors);
  }

  private static Level level(OptionValue value) throws ConfigurationException {
    switch (value.text()) {
      case "trace": // the Go program's logrus levels, kept so its command lines still work
        return Level.FINEST;
      case "debug":
        return Level.FINE;
      case "info":
        return Level.INFO;
      case "warn":
      case "warning":
        return Level.WARNING;
      case "error":
      case "fatal":
      case "panic":
        return Level.SEVERE;
      default:
        throw new ConfigurationException(
            value.origin()
                + ": unknown level \""
                + value.text()
                + "\" (want debug, info, warn or error)");
    }
  }

  private static boolean json(OptionValue value) throws ConfigurationException {
    switch (value.text()) {
      case "logfmt":
        return false;
      case "json":
        return true;
      default:
        throw new ConfigurationException(
            value.origin() + ": unknown format \"" + value.text() + "\" (want logfmt or json)");
    }
  }
}
