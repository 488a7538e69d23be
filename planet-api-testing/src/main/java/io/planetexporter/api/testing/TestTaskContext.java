package io.planetexporter.api.testing;

import static java.util.Objects.requireNonNull;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.HostIdentity;
import io.planetexporter.api.Inventory;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskContext;
import io.planetexporter.api.TaskProvider;
import io.planetexporter.net.IpAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The context the exporter gives a task, for a task's tests: its options read from texts exactly as
 * the server reads flags, environment and config file, and an inventory, host and clock the test
 * sets (also between runs).
 *
 * <pre>{@code
 * TestTaskContext context =
 *     TestTaskContext.of(new UptimeTaskProvider(), Map.of("proc-root", dir.toString()))
 *         .inventory(TestInventory.of(Map.of("198.18.0.2", new Host("db1.example", "db"))))
 *         .clock(Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));
 * Task task = context.create();
 * assertThat(TaskRun.runAndRender(task)).contains("planet_uptime_seconds 12345.67");
 * }</pre>
 *
 * <p>Without settings the inventory is {@link Inventory#empty()}, the host is {@code test-host} on
 * 127.0.0.1 and the clock is the system's.
 */
public final class TestTaskContext implements TaskContext {

  /** The exporter's default {@code -task-interval}. */
  public static final Duration TASK_INTERVAL = Duration.ofSeconds(7);

  /** The option every task has for its series budget, as {@code -task-<name>-max-series}. */
  public static final String MAX_SERIES = "max-series";

  private final TaskProvider provider;
  private final String taskName;
  private final TaskConfig config;
  private volatile Inventory inventory = Inventory.empty();
  private volatile HostIdentity host = host("test-host", "127.0.0.1");
  private volatile Clock clock = Clock.systemUTC();

  private TestTaskContext(TaskProvider provider, String taskName, TaskConfig config) {
    this.provider = provider;
    this.taskName = requireNonNull(taskName, "taskName");
    this.config = requireNonNull(config, "config");
  }

  /**
   * The context of the provider's task with the options' defaults overridden by {@code options}
   * (option name to text, as an operator writes it), read as the server reads them, and the
   * provider's default interval.
   *
   * @throws ConfigurationException as the server would refuse the texts, tied to the option
   * @throws IllegalArgumentException when {@code options} names an option the provider lacks
   */
  public static TestTaskContext of(TaskProvider provider, Map<String, String> options)
      throws ConfigurationException {
    Map<String, String> texts = new HashMap<>(options);
    // Every task's series budget, which the server adds to the provider's options.
    String budget = texts.remove(MAX_SERIES);
    int maxSeries = TaskConfig.DEFAULT_MAX_SERIES;
    if (budget != null) {
      try {
        maxSeries = Integer.parseInt(budget.trim());
      } catch (NumberFormatException e) {
        throw ConfigurationException.forOption(MAX_SERIES, "not a number: \"" + budget + "\"", e);
      }
      if (maxSeries < 1) {
        throw ConfigurationException.forOption(MAX_SERIES, "must be positive, got " + maxSeries);
      }
    }
    TaskConfig config =
        TaskConfig.parse(
            provider.options(), texts, provider.defaultInterval(TASK_INTERVAL), maxSeries);
    return new TestTaskContext(provider, provider.name(), config);
  }

  /** The context of a task named {@code taskName} with a config built by the test. */
  public static TestTaskContext of(String taskName, TaskConfig config) {
    return new TestTaskContext(null, taskName, config);
  }

  /**
   * A host identity: its name, primary IP and every local address (the primary IP included).
   *
   * @param primaryIp an IP literal
   * @param otherAddresses more IP literals the host owns
   */
  public static HostIdentity host(String hostname, String primaryIp, String... otherAddresses) {
    IpAddress primary = IpAddress.parse(primaryIp);
    Set<IpAddress> local = new HashSet<>();
    local.add(primary);
    for (String other : otherAddresses) {
      local.add(IpAddress.parse(other));
    }
    return new HostIdentity(hostname, primary, local);
  }

  /**
   * The provider's task, created with this context, as the exporter creates it.
   *
   * @throws IllegalStateException when the context was not made from a provider
   */
  public Task create() throws ConfigurationException {
    if (provider == null) {
      throw new IllegalStateException("context of task " + taskName + " made without a provider");
    }
    return provider.create(this);
  }

  /** Sets the inventory {@link #inventory()} answers from now on. */
  public TestTaskContext inventory(Inventory inventory) {
    this.inventory = requireNonNull(inventory, "inventory");
    return this;
  }

  /** Sets the host {@link #host()} answers from now on. */
  public TestTaskContext host(HostIdentity host) {
    this.host = requireNonNull(host, "host");
    return this;
  }

  /** Sets the clock {@link #clock()} answers from now on. */
  public TestTaskContext clock(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
    return this;
  }

  @Override
  public String taskName() {
    return taskName;
  }

  @Override
  public TaskConfig config() {
    return config;
  }

  @Override
  public Inventory inventory() {
    return inventory;
  }

  @Override
  public HostIdentity host() {
    return host;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public String toString() {
    return "TestTaskContext[" + taskName + ", " + config + "]";
  }
}
