package io.planetexporter.collector;

import static java.util.Objects.requireNonNull;

import io.planetexporter.api.ConfigurationException;
import java.util.Map;

/**
 * Where each of a task's option values came from, so that an error a provider ties to an option
 * ({@link ConfigurationException#forOption}) names what the operator wrote.
 *
 * @param task the task's name
 * @param byOption option name to its origin: {@code -task-inventory-addr}, {@code
 *     PLANET_TASK_INVENTORY_ADDR} or {@code /etc/planet.properties: task-inventory-addr}; an option
 *     not listed is named by its flag
 */
public record OptionOrigins(String task, Map<String, String> byOption) {

  public OptionOrigins {
    requireNonNull(task, "task");
    byOption = Map.copyOf(byOption);
  }

  /** Every option named by its flag, for values that did not come from an operator. */
  public static OptionOrigins flags(String task) {
    return new OptionOrigins(task, Map.of());
  }

  /** Where the option's value came from. */
  public String of(String option) {
    return byOption.getOrDefault(option, "-task-" + task + "-" + option);
  }

  /**
   * The error with its option replaced by the value's origin; an error tied to no option as it is.
   */
  public ConfigurationException locate(ConfigurationException e) {
    if (e.option().isEmpty()) {
      return e;
    }
    return new ConfigurationException(of(e.option().get()) + ": " + e.detail(), e);
  }
}
