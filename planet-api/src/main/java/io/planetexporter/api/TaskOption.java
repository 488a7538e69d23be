package io.planetexporter.api;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * One option a task takes. The server turns option {@code addr} of task {@code inventory} into the
 * flag {@code -task-inventory-addr}, the config-file key {@code task-inventory-addr} and the
 * environment variable {@code PLANET_TASK_INVENTORY_ADDR}.
 *
 * <pre>{@code
 * TaskOption.required("addr", OptionType.STRING, "URL of darkstat's /metrics page");
 * TaskOption.of("format", OptionType.STRING, "arrayjson", "arrayjson or ndjson");
 * }</pre>
 *
 * <p>Every task also has {@code enabled}, {@code interval} and {@code max-series}, added by the
 * server; a provider does not declare them.
 *
 * @param name lower case words joined by {@code -}
 * @param type how the value is read
 * @param defaultValue the value's text when none is given; empty for a required option with no
 *     default
 * @param description one line for {@code -h} and the config file
 * @param requiredWhenEnabled whether an enabled task must be given a non-empty value
 */
public record TaskOption(
    String name,
    OptionType type,
    String defaultValue,
    String description,
    boolean requiredWhenEnabled) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  private static final Set<String> RESERVED = Set.of("enabled", "interval", "max-series");

  public TaskOption {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(defaultValue, "defaultValue");
    requireNonNull(description, "description");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "option name \"" + name + "\" must be lower case words joined by '-'");
    }
    if (RESERVED.contains(name)) {
      throw new IllegalArgumentException(
          "option \"" + name + "\" is added to every task by the server; do not declare it");
    }
    if (!defaultValue.isEmpty() || type != OptionType.STRING) {
      try {
        type.parse(defaultValue);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "default of option \"" + name + "\" does not parse: " + e.getMessage(), e);
      }
    }
  }

  /** An optional option with a default. */
  public static TaskOption of(
      String name, OptionType type, String defaultValue, String description) {
    return new TaskOption(name, type, defaultValue, description, false);
  }

  /** A string option that an enabled task must be given. */
  public static TaskOption required(String name, String description) {
    return new TaskOption(name, OptionType.STRING, "", description, true);
  }
}
