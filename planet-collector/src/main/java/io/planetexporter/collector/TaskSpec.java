package io.planetexporter.collector;

import static java.util.Objects.requireNonNull;

import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskProvider;

/**
 * One enabled task to run: its provider and its validated configuration.
 *
 * @param provider makes the task
 * @param config the task's option values and interval
 * @param origins where the option values came from, for the provider's errors
 */
public record TaskSpec(TaskProvider provider, TaskConfig config, OptionOrigins origins) {

  public TaskSpec {
    requireNonNull(provider, "provider");
    requireNonNull(config, "config");
    requireNonNull(origins, "origins");
  }

  /** A task whose option errors name the task's flags. */
  public TaskSpec(TaskProvider provider, TaskConfig config) {
    this(provider, config, OptionOrigins.flags(provider.name()));
  }

  public String name() {
    return provider.name();
  }
}
