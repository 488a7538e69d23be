package io.planetexporter.api;

import java.util.Optional;

/**
 * Bad configuration: an unknown option, a value that does not parse, a required value missing.
 *
 * <p>The message is shown to the operator as it is, on one line, so it names the option and says
 * what was wrong with it, e.g. {@code -task-inventory-format: unknown format "xml" (want arrayjson
 * or ndjson)}.
 *
 * <p>A provider that rejects one of its own options does not write the flag's name: it ties the
 * error to the option and the server names the flag, environment variable or config-file key the
 * value came from:
 *
 * <pre>{@code
 * throw ConfigurationException.forOption("addr", "no host in \"" + text + "\"");
 * // planet-exporter: PLANET_TASK_DARKSTAT_ADDR: no host in "http:///metrics"
 * }</pre>
 */
public final class ConfigurationException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String option;
  private final String detail;

  public ConfigurationException(String message) {
    this(message, (Throwable) null);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
    this.option = null;
    this.detail = message;
  }

  private ConfigurationException(String option, String detail, Throwable cause) {
    super(option + ": " + detail, cause);
    this.option = option;
    this.detail = detail;
  }

  /**
   * An error in the value of one of the task's own options.
   *
   * @param option the option's name as the provider declares it, e.g. {@code addr}
   * @param detail what is wrong with the value, without the option's name
   */
  public static ConfigurationException forOption(String option, String detail) {
    return new ConfigurationException(option, detail, null);
  }

  /** As {@link #forOption(String, String)}, with the exception that revealed the problem. */
  public static ConfigurationException forOption(String option, String detail, Throwable cause) {
    return new ConfigurationException(option, detail, cause);
  }

  /** The task option the error is tied to, when it is tied to one. */
  public Optional<String> option() {
    return Optional.ofNullable(option);
  }

  /** The message without the option's name; the whole message when tied to no option. */
  public String detail() {
    return detail;
  }
}
