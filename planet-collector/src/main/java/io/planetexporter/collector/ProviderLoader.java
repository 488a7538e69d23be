package io.planetexporter.collector;

import io.planetexporter.api.TaskProvider;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Where task providers come from: {@link ServiceLoader} on the classpath in the program, a plain
 * list in tests.
 */
@FunctionalInterface
public interface ProviderLoader {

  /** Every provider found, in no particular order. */
  List<TaskProvider> load();

  /** The providers listed in {@code META-INF/services/io.planetexporter.api.TaskProvider}. */
  static ProviderLoader serviceLoader(ClassLoader classLoader) {
    return () ->
        ServiceLoader.load(TaskProvider.class, classLoader).stream()
            .map(ServiceLoader.Provider::get)
            .toList();
  }

  /** Exactly the given providers. */
  static ProviderLoader of(TaskProvider... providers) {
    List<TaskProvider> list = List.of(providers);
    return () -> list;
  }
}
