package io.planetexporter.web;

import static java.util.Objects.requireNonNull;

import io.planetexporter.api.OptionType;
import java.util.Locale;
import java.util.function.Function;

/**
 * One option of the program, as a flag, an environment variable and a config-file key.
 *
 * @param name without dashes, e.g. {@code task-interval}
 * @param type how its value is read
 * @param defaultValue the value's text when none is given
 * @param description one line for {@code -h}
 * @param configurable whether it may also come from the environment and the config file (not so for
 *     {@code -version} and {@code -config.file} itself in the file)
 * @param reader reads a value's text: the type's parser, or a task option's own {@link
 *     io.planetexporter.api.TaskOption#read} with its allowed values and validator
 */
public record Flag(
    String name,
    OptionType type,
    String defaultValue,
    String description,
    boolean configurable,
    Function<String, Object> reader) {

  public Flag {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(defaultValue, "defaultValue");
    requireNonNull(description, "description");
    requireNonNull(reader, "reader");
  }

  public Flag(
      String name, OptionType type, String defaultValue, String description, boolean configurable) {
    this(name, type, defaultValue, description, configurable, type::parse);
  }

  public static Flag of(String name, OptionType type, String defaultValue, String description) {
    return new Flag(name, type, defaultValue, description, true);
  }

  /** {@code PLANET_TASK_INTERVAL} for {@code task-interval}. */
  public String envName() {
    return "PLANET_" + name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  /**
   * The value the text stands for.
   *
   * @throws IllegalArgumentException saying what is wrong with the text
   */
  public Object read(String text) {
    return reader.apply(text);
  }

  public boolean isBoolean() {
    return type == OptionType.BOOLEAN;
  }

  /** Appends the flag's lines of {@code -h}: name, type, description and default. */
  public void appendUsage(StringBuilder text) {
    text.append("  -").append(name);
    if (!isBoolean()) {
      text.append(' ').append(typeName(type));
    }
    text.append("\n        ").append(description).append(" (default ");
    text.append(type == OptionType.STRING ? '"' + defaultValue + '"' : defaultValue);
    text.append(")\n");
  }

  private static String typeName(OptionType type) {
    switch (type) {
      case DURATION:
        return "duration";
      case INTEGER:
        return "int";
      case BYTES:
        return "size";
      default:
        return "string";
    }
  }
}
