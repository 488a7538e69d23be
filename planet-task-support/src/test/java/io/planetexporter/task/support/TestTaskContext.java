package io.planetexporter.task.support;

import static java.util.Objects.requireNonNull;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.HostIdentity;
import io.planetexporter.api.Inventory;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskContext;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A plain {@link TaskContext} for tests that drive a task through the SPI without the collector.
 *
 * <pre>{@code
 * TaskConfig config = TestTaskContext.config(provider.options(), Map.of("addr", uri.toString()));
 * Task task = provider.create(TestTaskContext.of("inventory", config));
 * }</pre>
 */
public record TestTaskContext(
    String taskName,
    TaskConfig config,
    Supplier<Inventory> inventorySupplier,
    HostIdentity host,
    Clock clock)
    implements TaskContext {

  public TestTaskContext {
    requireNonNull(taskName, "taskName");
    requireNonNull(config, "config");
    requireNonNull(inventorySupplier, "inventorySupplier");
    requireNonNull(host, "host");
    requireNonNull(clock, "clock");
  }

  /** A context with the empty inventory, host {@code test-host} on 127.0.0.1, the system clock. */
  public static TestTaskContext of(String taskName, TaskConfig config) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    return new TestTaskContext(
        taskName,
        config,
        Inventory::empty,
        new HostIdentity("test-host", loopback, Set.of(loopback)),
        Clock.systemUTC());
  }

  /**
   * The options' defaults, overridden by the given texts, parsed as the server would, with an
   * interval of 7s.
   */
  public static TaskConfig config(List<TaskOption> options, Map<String, String> texts) {
    return config(options, texts, TaskConfig.DEFAULT_MAX_SERIES);
  }

  /** As {@link #config(List, Map)}, with that series budget. */
  public static TaskConfig config(
      List<TaskOption> options, Map<String, String> texts, int maxSeries) {
    Map<String, Object> values = new HashMap<>();
    for (TaskOption option : options) {
      String text = texts.getOrDefault(option.name(), option.defaultValue());
      values.put(option.name(), option.type().parse(text));
    }
    return TaskConfig.of(values, Duration.ofSeconds(7), maxSeries);
  }

  /**
   * The provider's task on {@code host} with {@code inventory}, its options' defaults overridden by
   * {@code texts} as in {@link #config}.
   */
  public static Task create(
      TaskProvider provider, Map<String, String> texts, HostIdentity host, Inventory inventory)
      throws ConfigurationException {
    TaskConfig config = config(provider.options(), texts);
    return provider.create(
        new TestTaskContext(provider.name(), config, () -> inventory, host, Clock.systemUTC()));
  }

  @Override
  public Inventory inventory() {
    return inventorySupplier.get();
  }
}
