package io.planetexporter.server;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.OptionType;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskContext;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import java.util.List;

/**
 * Listed in this module's test META-INF/services, so that Main started as a process finds it: a
 * task that refuses every {@code mode} but {@code ok}, as a provider refusing a well-formed but
 * unusable value does.
 */
public final class RefusingProvider implements TaskProvider {

  @Override
  public String name() {
    return "refusing";
  }

  @Override
  public String description() {
    return "Refuses its configuration unless -task-refusing-mode=ok.";
  }

  @Override
  public List<TaskOption> options() {
    return List.of(TaskOption.of("mode", OptionType.STRING, "bad", "ok or anything else."));
  }

  @Override
  public Task create(TaskContext context) throws ConfigurationException {
    String mode = context.config().string("mode");
    if (!mode.equals("ok")) {
      throw ConfigurationException.forOption("mode", "unknown mode \"" + mode + "\"");
    }
    return new Task() {
      @Override
      public void run() {}

      @Override
      public io.prometheus.metrics.model.snapshots.MetricSnapshots snapshot() {
        return io.prometheus.metrics.model.snapshots.MetricSnapshots.of();
      }
    };
  }
}
