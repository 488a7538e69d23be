package io.planetexporter.collector;

import io.planetexporter.api.Task;
import io.planetexporter.api.TaskContext;
import io.planetexporter.api.TaskProvider;

/** Listed in this module's test META-INF/services, so that the real ServiceLoader finds it. */
public final class ServiceLoadedProvider implements TaskProvider {

  @Override
  public String name() {
    return "service-loaded";
  }

  @Override
  public String description() {
    return "Found by ServiceLoader.";
  }

  @Override
  public Task create(TaskContext context) {
    throw new UnsupportedOperationException("never created in tests");
  }
}
