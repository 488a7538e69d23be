package org.example.legacy;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.OptionType;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskContext;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import java.time.Duration;
import java.util.List;

/** A provider written against planet-api 0.1: options through both 0.1 ways of declaring one. */
public final class LegacyTaskProvider implements TaskProvider {

  @Override
  public String name() {
    return "legacy";
  }

  @Override
  public String description() {
    return "Written for planet-api 0.1.";
  }

  @Override
  public List<TaskOption> options() {
    return List.of(
        new TaskOption("greeting", OptionType.STRING, "hello", "What to say.", false),
        TaskOption.of("repeat", OptionType.INTEGER, "2", "How often."),
        TaskOption.of("pause", OptionType.DURATION, "1s", "Between two."));
  }

  @Override
  public Duration defaultInterval(Duration taskInterval) {
    return taskInterval.multipliedBy(3);
  }

  @Override
  public Task create(TaskContext context) throws ConfigurationException {
    long repeat = context.config().integer("repeat");
    if (repeat < 1) {
      throw new ConfigurationException("-task-legacy-repeat: must be at least 1");
    }
    return new LegacyTask(
        context.config().string("greeting"), repeat, context.host().hostname(), context);
  }
}
