package io.planetexporter.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;

/**
 * The validated values of one task's options, read once at startup.
 *
 * <pre>{@code
 * URI addr = URI.create(config.string("addr"));
 * Duration deadline = config.duration("timeout");
 * }</pre>
 *
 * <p>Asking for an option the provider did not declare, or as the wrong type, is a programming
 * error and throws {@link IllegalArgumentException}.
 */
public final class TaskConfig {

  private final Map<String, Object> values;
  private final Duration interval;

  private TaskConfig(Map<String, Object> values, Duration interval) {
    this.values = Map.copyOf(values);
    this.interval = requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
  }

  /**
   * Values keyed by option name, each of the Java type its {@link OptionType} parses to.
   *
   * @param interval how often the task runs
   */
  public static TaskConfig of(Map<String, ?> values, Duration interval) {
    return new TaskConfig(Map.copyOf(values), interval);
  }

  /** How often the collector runs this task. */
  public Duration interval() {
    return interval;
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
    return "TaskConfig" + values + " interval=" + GoDuration.format(interval);
  }
}
