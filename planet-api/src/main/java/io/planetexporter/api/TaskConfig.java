package io.planetexporter.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated values of one task's options, read once at startup.
 *
 * <pre>{@code
 * URI addr = URI.create(config.string("addr"));
 * Duration deadline = config.duration("timeout");
 * }</pre>
 *
 * <p>The server builds it with {@link #parse}, from the texts an operator gave; a test builds it
 * the same way:
 *
 * <pre>{@code
 * TaskConfig config =
 *     TaskConfig.parse(provider.options(), Map.of("addr", "http://localhost:51666/metrics"),
 *         Duration.ofSeconds(7));
 * }</pre>
 *
 * <p>Asking for an option the provider did not declare, or as the wrong type, is a programming
 * error and throws {@link IllegalArgumentException}.
 */
public final class TaskConfig {

  /** The series budget of a task when {@code -task-<name>-max-series} is not given. */
  public static final int DEFAULT_MAX_SERIES = 10_000;

  private final Map<String, Object> values;
  private final Duration interval;
  private final int maxSeries;

  private TaskConfig(Map<String, Object> values, Duration interval, int maxSeries) {
    this.values = Map.copyOf(values);
    this.interval = requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
    if (maxSeries < 1) {
      throw new IllegalArgumentException("maxSeries must be positive, got " + maxSeries);
    }
    this.maxSeries = maxSeries;
  }

  /**
   * Values keyed by option name, each of the Java type its {@link OptionType} parses to, with the
   * default series budget.
   *
   * @param interval how often the task runs
   */
  public static TaskConfig of(Map<String, ?> values, Duration interval) {
    return of(values, interval, DEFAULT_MAX_SERIES);
  }

  /**
   * Values keyed by option name, each of the Java type its {@link OptionType} parses to.
   *
   * @param interval how often the task runs
   * @param maxSeries the task's series budget, positive
   */
  public static TaskConfig of(Map<String, ?> values, Duration interval, int maxSeries) {
    return new TaskConfig(Map.copyOf(values), interval, maxSeries);
  }

  /**
   * Reads the texts of a task's options exactly as the server reads them from flags, environment
   * and config file: each option not given takes its default, each text is read by {@link
   * TaskOption#read} (type, allowed values, validator), and a required option must not be empty.
   *
   * @param options the provider's options
   * @param texts option name to text, for the options given; the others take their defaults
   * @param interval how often the task runs
   * @throws ConfigurationException tied to the option ({@link ConfigurationException#option()})
   *     whose text is refused or required and missing
   * @throws IllegalArgumentException when {@code texts} names an option not in {@code options}
   * @since 0.2
   */
  public static TaskConfig parse(
      List<TaskOption> options, Map<String, String> texts, Duration interval)
      throws ConfigurationException {
    return parse(options, texts, interval, DEFAULT_MAX_SERIES);
  }

  /**
   * As {@link #parse(List, Map, Duration)}, with the task's series budget.
   *
   * @param maxSeries the task's series budget, positive
   * @since 0.2
   */
  public static TaskConfig parse(
      List<TaskOption> options, Map<String, String> texts, Duration interval, int maxSeries)
      throws ConfigurationException {
    Set<String> unknown = new HashSet<>(texts.keySet());
    options.forEach(option -> unknown.remove(option.name()));
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "no option " + unknown + " among " + options.stream().map(TaskOption::name).toList());
    }
    Map<String, Object> values = new HashMap<>();
    for (TaskOption option : options) {
      String text = texts.getOrDefault(option.name(), option.defaultValue());
      if (option.requiredWhenEnabled() && text.isEmpty()) {
        throw ConfigurationException.forOption(option.name(), "required when the task is enabled");
      }
      try {
        values.put(option.name(), option.read(text));
      } catch (IllegalArgumentException e) {
        throw ConfigurationException.forOption(option.name(), e.getMessage(), e);
      }
    }
    return new TaskConfig(values, interval, maxSeries);
  }

  /** How often the collector runs this task. */
  public Duration interval() {
    return interval;
  }

  /**
   * The most series the collector serves of this task ({@code -task-<name>-max-series}); it drops
   * the rest. A task that can fold its long tail into fewer series (peers into an {@code other}
   * series, say) should do so to stay within it.
   */
  public int maxSeries() {
    return maxSeries;
  }

  public String string(String option) {
    return get(option, String.class);
  }

  public boolean bool(String option) {
    return get(option, Boolean.class);
  }

  public long integer(String option) {
    return get(option, Long.class);
  }

  /** A {@link OptionType#BYTES} option. */
  public long bytes(String option) {
    return get(option, Long.class);
  }

  public Duration duration(String option) {
    return get(option, Duration.class);
  }

  private <T> T get(String option, Class<T> type) {
    Object value = values.get(option);
    if (value == null) {
      throw new IllegalArgumentException("no option \"" + option + "\" in " + values.keySet());
    }
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException(
          "option \""
              + option
              + "\" is a "
              + value.getClass().getSimpleName()
              + ", not a "
              + type.getSimpleName());
    }
    return type.cast(value);
  }

  @Override
  public String toString() {
    return "TaskConfig"
        + values
        + " interval="
        + GoDuration.format(interval)
        + " max-series="
        + maxSeries;
  }
}
