package io.planetexporter.api;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One option a task takes. The server turns option {@code addr} of task {@code inventory} into the
 * flag {@code -task-inventory-addr}, the config-file key {@code task-inventory-addr} and the
 * environment variable {@code PLANET_TASK_INVENTORY_ADDR}.
 *
 * <pre>{@code
 * TaskOption.required("addr", "URL of darkstat's /metrics page");
 * TaskOption.of("format", OptionType.STRING, "arrayjson", "Inventory format.")
 *     .allowing("arrayjson", "ndjson");
 * TaskOption.of("max-peers", OptionType.INTEGER, "1000", "Peers kept per run.")
 *     .validatedBy(value -> { if ((Long) value < 1) throw new IllegalArgumentException("..."); });
 * }</pre>
 *
 * <p>Every task also has {@code enabled}, {@code interval} and {@code max-series}, added by the
 * server; a provider does not declare them. The server checks every value at startup with {@link
 * #read(String)} and stops with exit status 2, naming the flag, variable or file key, when one is
 * refused.
 *
 * @param name lower case words joined by {@code -}
 * @param type how the value is read
 * @param defaultValue the value's text when none is given; empty for a required option with no
 *     default
 * @param description one line for {@code -h} and the config file
 * @param requiredWhenEnabled whether an enabled task must be given a non-empty value
 * @param allowedValues the only texts accepted, listed in {@code -h}; empty to accept any text its
 *     type parses (since 0.2)
 * @param validator checks the parsed value beyond its type (since 0.2)
 */
public record TaskOption(
    String name,
    OptionType type,
    String defaultValue,
    String description,
    boolean requiredWhenEnabled,
    List<String> allowedValues,
    OptionValidator validator) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  private static final Set<String> RESERVED = Set.of("enabled", "interval", "max-series");

  public TaskOption {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(defaultValue, "defaultValue");
    requireNonNull(description, "description");
    allowedValues = List.copyOf(allowedValues);
    requireNonNull(validator, "validator");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "option name \"" + name + "\" must be lower case words joined by '-'");
    }
    if (RESERVED.contains(name)) {
      throw new IllegalArgumentException(
          "option \"" + name + "\" is added to every task by the server; do not declare it");
    }
    if (!(defaultValue.isEmpty() && requiredWhenEnabled && type == OptionType.STRING)) {
      try {
        check(type, defaultValue, allowedValues, validator);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "default of option \"" + name + "\" does not parse: " + e.getMessage(), e);
      }
    }
  }

  /** The option as version 0.1 of this API declared it: any value its type parses. */
  public TaskOption(
      String name,
      OptionType type,
      String defaultValue,
      String description,
      boolean requiredWhenEnabled) {
    this(
        name,
        type,
        defaultValue,
        description,
        requiredWhenEnabled,
        List.of(),
        OptionValidator.none());
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

  /**
   * This option accepting only the given texts (compared exactly).
   *
   * @since 0.2
   */
  public TaskOption allowing(String... values) {
    return new TaskOption(
        name,
        type,
        defaultValue,
        description,
        requiredWhenEnabled,
        Arrays.asList(values),
        validator);
  }

  /**
   * This option with its values checked by {@code validator} after parsing.
   *
   * @since 0.2
   */
  public TaskOption validatedBy(OptionValidator validator) {
    return new TaskOption(
        name, type, defaultValue, description, requiredWhenEnabled, allowedValues, validator);
  }

  /**
   * Reads a value's text as the server does: parsed by its type, then checked against the allowed
   * values and the validator. An empty text of a required string option is read as empty; whether
   * it may be empty is for {@link TaskConfig#parse} to say.
   *
   * @return the value, of the Java type {@link OptionType#parse} gives
   * @throws IllegalArgumentException with a message that quotes the text and says what was wanted
   * @since 0.2
   */
  public Object read(String text) {
    if (text.isEmpty() && requiredWhenEnabled && type == OptionType.STRING) {
      return text;
    }
    return check(type, text, allowedValues, validator);
  }

  private static Object check(
      OptionType type, String text, List<String> allowedValues, OptionValidator validator) {
    Object value = type.parse(text);
    if (!allowedValues.isEmpty() && !allowedValues.contains(text)) {
      throw new IllegalArgumentException(
          "unknown value \"" + text + "\" (want " + oneOf(allowedValues) + ")");
    }
    validator.validate(value);
    return value;
  }

  /** {@code a}, {@code a or b}, {@code a, b or c}. */
  static String oneOf(List<String> values) {
    if (values.size() == 1) {
      return values.get(0);
    }
    return String.join(", ", values.subList(0, values.size() - 1))
        + " or "
        + values.get(values.size() - 1);
  }
}
