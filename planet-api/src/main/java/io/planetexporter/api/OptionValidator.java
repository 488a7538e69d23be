package io.planetexporter.api;

/**
 * Checks an option's parsed value beyond its type, at startup, for every value given (also of a
 * disabled task, so that a mistake never waits to bite).
 *
 * <pre>{@code
 * TaskOption.of("max-peers", OptionType.INTEGER, "1000", "Peers kept per run.")
 *     .validatedBy(value -> {
 *       if ((Long) value < 1) {
 *         throw new IllegalArgumentException("must be at least 1, got " + value);
 *       }
 *     });
 * }</pre>
 */
@FunctionalInterface
public interface OptionValidator {

  /**
   * Accepts the value or throws.
   *
   * @param value the value as its {@link OptionType} parsed it, e.g. a {@code Long} or a {@link
   *     java.time.Duration}
   * @throws IllegalArgumentException with a message that says what is wrong, without the option's
   *     name (the server adds where the value came from)
   */
  void validate(Object value);

  /** Accepts every value. */
  static OptionValidator none() {
    return NoValidation.INSTANCE;
  }
}
