package io.planetexporter.collector;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.HostIdentity;
import io.planetexporter.api.Inventory;
import io.planetexporter.api.InventorySource;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskContext;
import io.planetexporter.api.TaskProvider;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The enabled tasks, each run on its own thread, and the inventory they share.
 *
 * <pre>{@code
 * try (Crew crew = Crew.create(specs, host, Clock.systemUTC())) {
 *   registry.register(crew.collector(MetricSnapshots.of()));
 *   crew.start();
 *   ...
 * }
 * }</pre>
 */
public final class Crew implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(Crew.class.getName());
  private static final Duration STOP_GRACE = Duration.ofSeconds(2);

  private final List<TaskRunner> runners;
  private volatile Runnable whenReady = () -> {};
  private final AtomicBoolean readyActionRan = new AtomicBoolean();
  // Task name to the metric names it declared; empty for a task that declares none.
  private final Map<String, Set<String>> declared = new TreeMap<>();
  private final AtomicReference<HostIdentity> host;
  private final Clock clock;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ScheduledExecutorService hostRefresh =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "host-identity");
            thread.setDaemon(true);
            return thread;
          });
  private volatile InventorySource inventorySource;

  private Crew(HostIdentity host, Clock clock) {
    this.runners = new ArrayList<>();
    this.host = new AtomicReference<>(host);
    this.clock = clock;
  }

  /**
   * Creates every task (none runs yet).
   *
   * @throws ConfigurationException when a provider rejects its configuration (an error tied to an
   *     option names where its value came from) or fails to create its task, when two tasks supply
   *     the inventory, or when two tasks declare the same metric name; tasks already created are
   *     closed
   */
  public static Crew create(List<TaskSpec> specs, HostIdentity host, Clock clock)
      throws ConfigurationException {
    Crew crew = new Crew(host, clock);
    List<TaskSpec> sorted = new ArrayList<>(specs);
    sorted.sort(Comparator.comparing(TaskSpec::name));
    try {
      for (TaskSpec spec : sorted) {
        crew.add(spec);
      }
    } catch (ConfigurationException | RuntimeException e) {
      crew.close();
      throw e;
    }
    return crew;
  }

  private void add(TaskSpec spec) throws ConfigurationException {
    String name = spec.name();
    if (runners.stream().anyMatch(r -> r.name().equals(name))) {
      throw new ConfigurationException("task \"" + name + "\" configured twice");
    }
    TaskProvider provider = spec.provider();
    Task task;
    try {
      task = provider.create(new Context(name, spec.config(), clock, this));
    } catch (ConfigurationException e) {
      throw spec.origins().locate(e);
    } catch (RuntimeException e) {
      throw new ConfigurationException(
          "task " + name + ": cannot create it: " + TaskRunner.describe(e), e);
    }
    if (task == null) {
      throw new ConfigurationException("task " + name + ": its provider created no task");
    }
    if (task instanceof InventorySource source) {
      if (inventorySource != null) {
        task.close();
        throw new ConfigurationException(
            "tasks "
                + runners.stream()
                    .filter(r -> r.task() == inventorySource)
                    .map(TaskRunner::name)
                    .findFirst()
                    .orElse("?")
                + " and "
                + name
                + " both supply the inventory; enable only one of them");
      }
      inventorySource = source;
    }
    try {
      declare(name, task);
    } catch (ConfigurationException | RuntimeException e) {
      task.close();
      throw e;
    }
    runners.add(
        new TaskRunner(name, task, spec.config().interval(), spec.config().maxSeries(), clock));
  }

  /** Records the metric names the task declares, refusing a name another task already serves. */
  private void declare(String name, Task task) throws ConfigurationException {
    Set<String> names;
    try {
      names = Set.copyOf(task.metricNames());
    } catch (RuntimeException e) {
      throw new ConfigurationException(
          "task " + name + ": cannot list its metric names: " + TaskRunner.describe(e), e);
    }
    for (String metric : new TreeSet<>(names)) {
      if (CrewCollector.OWN_NAMES.contains(metric)) {
        throw new ConfigurationException(
            "task " + name + " would serve " + metric + ", which the exporter serves itself");
      }
      for (Map.Entry<String, Set<String>> other : declared.entrySet()) {
        if (other.getValue().contains(metric)) {
          throw new ConfigurationException(
              "tasks "
                  + other.getKey()
                  + " and "
                  + name
                  + " would both serve "
                  + metric
                  + "; enable only one of them");
        }
      }
    }
    declared.put(name, names);
  }

  /** Starts every task's schedule; each task runs the first time at once. */
  public void start() {
    runners.forEach(runner -> runner.afterFirstRun(this::firstRunEnded));
    runners.forEach(TaskRunner::start);
  }

  /**
   * Runs {@code action} once, on the thread of the task whose first run ends last, when every task
   * has completed its first run ({@link #ready}); at once if there is no task. Set before {@link
   * #start}.
   */
  public void whenReady(Runnable action) {
    whenReady = action;
    if (runners.isEmpty()) {
      firstRunEnded();
    }
  }

  private void firstRunEnded() {
    if (ready() && readyActionRan.compareAndSet(false, true)) {
      whenReady.run();
    }
  }

  /** Each task's status, sorted by task name. */
  public List<TaskStatus> statuses() {
    return runners.stream().map(TaskRunner::status).toList();
  }

  /** The {@link io.planetexporter.api.Task#statusNote()} of the task named, empty if none. */
  public String statusNote(String taskName) {
    return runners.stream()
        .filter(r -> r.name().equals(taskName))
        .map(r -> r.task().statusNote())
        .findFirst()
        .orElse("");
  }

  /** Whether every task has completed its first run. */
  public boolean ready() {
    return runners.stream().allMatch(r -> r.status().completedFirstRun());
  }

  /** The host identity every task is given, as last read. */
  public HostIdentity host() {
    return host.get();
  }

  /**
   * Reads the host identity again every {@code interval}, so that a changed primary IP or interface
   * address is followed without a restart (DHCP, a moved default route). A read that fails keeps
   * the identity in force. Stops when the crew closes.
   */
  public void followHost(Supplier<HostIdentity> resolver, Duration interval) {
    hostRefresh.scheduleWithFixedDelay(
        () -> {
          try {
            HostIdentity now = resolver.get();
            HostIdentity before = host.getAndSet(now);
            if (!now.equals(before)) {
              logger.log(
                  Level.INFO,
                  "host identity changed",
                  new Object[] {
                    "hostname", now.hostname(),
                    "primary_ip", now.primaryAddress().toString()
                  });
            }
          } catch (RuntimeException e) {
            LogRecords.log(logger, Level.WARNING, "cannot read the host identity again", e);
          }
        },
        interval.toNanos(),
        interval.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  /** The inventory in force: the inventory task's, or {@link Inventory#empty()} without one. */
  Inventory inventory() {
    InventorySource source = inventorySource;
    if (source == null) {
      return Inventory.empty();
    }
    try {
      Inventory inventory = source.inventory();
      return inventory == null ? Inventory.empty() : inventory;
    } catch (RuntimeException e) {
      LogRecords.log(logger, Level.FINE, "inventory unavailable", e);
      return Inventory.empty();
    }
  }

  /**
   * The collector serving every task's snapshot, the tasks' health and {@code planet_hostname}.
   *
   * @param fixed families the program adds, such as its build info; they take precedence over a
   *     task's family of the same name
   */
  public MultiCollector collector(MetricSnapshots fixed) {
    return new CrewCollector(runners, declared, fixed, this::inventory, this::host, clock);
  }

  /** Stops every schedule, interrupts runs in progress and closes every task. */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    hostRefresh.shutdownNow();
    runners.forEach(TaskRunner::stopScheduling);
    runners.forEach(r -> r.awaitAndClose(STOP_GRACE));
  }

  private record Context(String taskName, TaskConfig config, Clock clock, Crew crew)
      implements TaskContext {

    @Override
    public HostIdentity host() {
      return crew.host();
    }

    @Override
    public Inventory inventory() {
      return crew.inventory();
    }
  }
}
