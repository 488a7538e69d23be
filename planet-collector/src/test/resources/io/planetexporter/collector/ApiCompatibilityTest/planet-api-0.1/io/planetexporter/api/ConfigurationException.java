package io.planetexporter.api;

/**
 * Bad configuration: an unknown option, a value that does not parse, a required value missing.
 *
 * <p>The message is shown to the operator as it is, on one line, so it names the option and says
 * what was wrong with it, e.g. {@code -task-inventory-format: unknown format "xml" (want arrayjson
 * or ndjson)}.
 */
public final class ConfigurationException extends Exception {

  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
