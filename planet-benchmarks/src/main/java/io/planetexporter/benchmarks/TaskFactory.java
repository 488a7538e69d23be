package io.planetexporter.benchmarks;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskProvider;
import io.planetexporter.api.testing.TestTaskContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/** Creates tasks the way the exporter does: providers found with ServiceLoader, by name. */
public final class TaskFactory {
  private TaskFactory() {}

  /** The provider named {@code name} on the classpath. */
  public static TaskProvider find(String name) {
    return ServiceLoader.load(TaskProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(provider -> provider.name().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new IllegalStateException("no task provider \"" + name + "\" on the classpath"));
  }

  /**
   * A new task of provider {@code name}, with option overrides (option name to text) read as the
   * server reads them, no inventory, on a host whose primary IP is 127.0.0.1 (nothing leaves
   * loopback).
   */
  public static Task create(String name, Map<String, String> overrides) throws Exception {
    return TestTaskContext.of(find(name), overrides)
        .host(TestTaskContext.host("bench", "127.0.0.1"))
        .create();
  }

  /** The provider's defaults with {@code overrides} (option name to text) applied. */
  public static TaskConfig config(TaskProvider provider, Map<String, String> overrides)
      throws ConfigurationException {
    return TestTaskContext.of(provider, overrides).config();
  }

  /** Deletes a directory tree a benchmark created. */
  public static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
