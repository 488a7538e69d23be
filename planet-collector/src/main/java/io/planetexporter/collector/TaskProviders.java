package io.planetexporter.collector;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The known task providers, by name, checked once at startup. */
public final class TaskProviders {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  private final Map<String, TaskProvider> byName;

  private TaskProviders(Map<String, TaskProvider> byName) {
    this.byName = byName;
  }

  /**
   * Loads the providers and checks their names and options.
   *
   * @throws ConfigurationException naming the task when two providers share a name, a name is not
   *     lower case words joined by {@code -}, a provider declares an option twice, or a provider
   *     cannot be loaded at all
   */
  public static TaskProviders discover(ProviderLoader loader) throws ConfigurationException {
    List<TaskProvider> providers;
    try {
      providers = loader.load();
    } catch (ServiceConfigurationError | LinkageError e) {
      throw new ConfigurationException("cannot load task providers: " + e, e);
    }
    Map<String, TaskProvider> byName = new TreeMap<>();
    for (TaskProvider provider : providers) {
      try {
        add(provider, byName);
      } catch (RuntimeException | LinkageError e) {
        // A broken plugin: name it rather than failing with a stack trace.
        throw new ConfigurationException(
            "task provider " + provider.getClass().getName() + " is broken: " + e, e);
      }
    }
    return new TaskProviders(byName);
  }

  private static void add(TaskProvider provider, Map<String, TaskProvider> byName)
      throws ConfigurationException {
    String name = provider.name();
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ConfigurationException(
          "task provider "
              + provider.getClass().getName()
              + " has an invalid name \""
              + name
              + "\" (want lower case words joined by '-')");
    }
    TaskProvider previous = byName.putIfAbsent(name, provider);
    if (previous != null) {
      throw new ConfigurationException(
          "duplicate task name \""
              + name
              + "\" (provided by "
              + previous.getClass().getName()
              + " and "
              + provider.getClass().getName()
              + ")");
    }
    Set<String> optionNames = new HashSet<>();
    for (TaskOption option : provider.options()) {
      if (!optionNames.add(option.name())) {
        throw new ConfigurationException(
            "task \"" + name + "\" declares option \"" + option.name() + "\" twice");
      }
    }
    if (provider.description() == null) {
      throw new ConfigurationException("task \"" + name + "\" has no description");
    }
  }

  /** Every provider, sorted by name. */
  public List<TaskProvider> all() {
    return List.copyOf(byName.values());
  }

  /**
   * The provider of that name.
   *
   * @throws ConfigurationException naming the task and the known ones when there is none
   */
  public TaskProvider get(String name) throws ConfigurationException {
    TaskProvider provider = byName.get(name);
    if (provider == null) {
      throw new ConfigurationException(
          "unknown task \"" + name + "\" (known: " + String.join(", ", byName.keySet()) + ")");
    }
    return provider;
  }
}
