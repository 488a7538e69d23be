package io.planetexporter.benchmarks;

import io.planetexporter.api.Task;
import io.planetexporter.api.TaskProvider;
import java.util.Map;
import java.util.ServiceLoader;

/** Creates tasks the way the exporter does: providers found with ServiceLoader, by name. */
final class Providers {
  private Providers() {}

  static TaskProvider find(String name) {
    return ServiceLoader.load(TaskProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(provider -> provider.name().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new IllegalStateException("no task provider \"" + name + "\" on the classpath"));
  }

  /** A new task of provider {@code name}, with option overrides (option name to text). */
  static Task create(String name, Map<String, String> overrides) throws Exception {
    TaskProvider provider = find(name);
    return provider.create(BenchTaskContext.of(provider, overrides));
  }
}
