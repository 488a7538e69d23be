package com.example.uptime;

import io.planetexporter.api.OptionType;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskContext;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import java.nio.file.Path;
import java.util.List;

/** The task {@code uptime}: flags -task-uptime-enabled, -task-uptime-proc-root. */
public final class UptimeTaskProvider implements TaskProvider {

  @Override
  public String name() {
    return "uptime";
  }

  @Override
  public String description() {
    return "Serves planet_uptime_seconds, how long this host has been up.";
  }

  @Override
  public List<TaskOption> options() {
    return List.of(TaskOption.of("proc-root", OptionType.STRING, "/proc", "Where /proc is."));
  }

  @Override
  public Task create(TaskContext context) {
    return new UptimeTask(Path.of(context.config().string("proc-root")).resolve("uptime"));
  }
}
