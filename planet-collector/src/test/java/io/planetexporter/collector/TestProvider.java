package io.planetexporter.collector;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskContext;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** A provider whose task the test supplies. */
final class TestProvider implements TaskProvider {

  /** Builds the task from the context the collector gives. */
  @FunctionalInterface
  interface Factory {
    Task create(TaskContext context) throws ConfigurationException;
  }

  private final String name;
  private final List<TaskOption> options;
  private final Factory factory;
  final AtomicReference<TaskContext> context = new AtomicReference<>();

  TestProvider(String name, List<TaskOption> options, Factory factory) {
    this.name = name;
    this.options = options;
    this.factory = factory;
  }

  TestProvider(String name, Factory factory) {
    this(name, List.of(), factory);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return "Test task " + name + ".";
  }

  @Override
  public List<TaskOption> options() {
    return options;
  }

  @Override
  public Task create(TaskContext context) throws ConfigurationException {
    this.context.set(context);
    return factory.create(context);
  }

  /** This provider's task, run every hour (so once in a test). */
  TaskSpec spec() {
    return new TaskSpec(this, TaskConfig.of(Map.of(), Duration.ofHours(1)));
  }

  TaskSpec spec(int maxSeries) {
    return new TaskSpec(this, TaskConfig.of(Map.of(), Duration.ofHours(1), maxSeries));
  }

  TaskSpec spec(Duration interval) {
    return new TaskSpec(this, TaskConfig.of(Map.of(), interval));
  }
}
