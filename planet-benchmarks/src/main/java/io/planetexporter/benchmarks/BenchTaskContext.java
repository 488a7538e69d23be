package io.planetexporter.benchmarks;

import io.planetexporter.api.HostIdentity;
import io.planetexporter.api.Inventory;
import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskContext;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The context the benchmarks create a task with: the provider's defaults with some options
 * overridden, no inventory, and a host whose primary IP is 127.0.0.1 (nothing leaves loopback).
 *
 * @param taskName the provider's name
 * @param config the option values
 */
record BenchTaskContext(String taskName, TaskConfig config) implements TaskContext {
  private static final HostIdentity HOST =
      new HostIdentity(
          "bench", InetAddress.getLoopbackAddress(), Set.of(InetAddress.getLoopbackAddress()));

  /** The provider's defaults, with {@code overrides} (option name to text) applied. */
  static BenchTaskContext of(TaskProvider provider, Map<String, String> overrides) {
    Map<String, Object> values = new HashMap<>();
    for (TaskOption option : provider.options()) {
      String text = overrides.getOrDefault(option.name(), option.defaultValue());
      values.put(option.name(), option.type().parse(text));
    }
    if (!values.keySet().containsAll(overrides.keySet())) {
      throw new IllegalArgumentException(
          "task " + provider.name() + " has options " + values.keySet() + ", not " + overrides);
    }
    return new BenchTaskContext(
        provider.name(), TaskConfig.of(values, provider.defaultInterval(Duration.ofSeconds(7))));
  }

  @Override
  public Inventory inventory() {
    return Inventory.empty();
  }

  @Override
  public HostIdentity host() {
    return HOST;
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }
}
