package io.planetexporter.collector;

import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskProvider;
import java.time.Duration;
import java.util.Map;

/** Specs of test providers' tasks with their options' defaults. */
final class TestSpecs {

  private TestSpecs() {}

  /** The provider's task, run every hour (so once in a test). */
  static TaskSpec spec(TaskProvider provider) {
    return new TaskSpec(provider, TaskConfig.of(Map.of(), Duration.ofHours(1)));
  }

  /** The provider's task, run every hour, serving at most {@code maxSeries} series. */
  static TaskSpec spec(TaskProvider provider, int maxSeries) {
    return new TaskSpec(provider, TaskConfig.of(Map.of(), Duration.ofHours(1), maxSeries));
  }

  /** The provider's task, run every {@code interval}. */
  static TaskSpec spec(TaskProvider provider, Duration interval) {
    return new TaskSpec(provider, TaskConfig.of(Map.of(), interval));
  }
}
