package io.planetexporter.benchmarks;

import io.planetexporter.api.Task;
import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskProvider;
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

  /** A new task of provider {@code name}, with option overrides (option name to text). */
  public static Task create(String name, Map<String, String> overrides) throws Exception {
    TaskProvider provider = find(name);
    return provider.create(BenchTaskContext.of(provider, overrides));
  }

  /** The provider's defaults with {@code overrides} (option name to text) applied. */
  public static TaskConfig config(TaskProvider provider, Map<String, String> overrides) {
    return BenchTaskContext.of(provider, overrides).config();
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
