package io.planetexporter.collector;

import static java.util.Objects.requireNonNull;

import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskProvider;

/**
 * One enabled task to run: its provider and its validated configuration.
 *
 * @param provider makes the task
 * @param config the task's option values and interval
 */
public record TaskSpec(TaskProvider provider, TaskConfig config) {

  public TaskSpec {
    requireNonNull(provider, "provider");
    requireNonNull(config, "config");
  }

  public String name() {
    return provider.name();
  }
}
