package io.planetexporter.api.testing;

import static java.util.Objects.requireNonNull;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskContext;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A provider whose task the test supplies, for tests of what loads, configures and runs providers;
 * it keeps the context of its latest {@link #create}.
 *
 * <pre>{@code
 * TestTaskProvider provider =
 *     TestTaskProvider.of("fetch", context -> new FetchTask(context.config().string("addr")))
 *         .options(List.of(TaskOption.required("addr", "Where to fetch from.")))
 *         .defaultInterval(taskInterval -> taskInterval.multipliedBy(5));
 * }</pre>
 *
 * <p>Without settings its description is {@code Test task <name>.}, it has no options and runs
 * every {@code -task-interval}.
 */
public final class TestTaskProvider implements TaskProvider {

  /** Builds the task from the context the exporter gives. */
  @FunctionalInterface
  public interface Factory {
    Task create(TaskContext context) throws ConfigurationException;
  }

  private final String name;
  private final Factory factory;
  private String description;
  private Supplier<List<TaskOption>> options = List::of;
  private UnaryOperator<Duration> defaultInterval = UnaryOperator.identity();
  private volatile TaskContext context;

  private TestTaskProvider(String name, Factory factory) {
    this.name = requireNonNull(name, "name");
    this.factory = requireNonNull(factory, "factory");
    this.description = "Test task " + name + ".";
  }

  /** A provider named {@code name} whose tasks {@code factory} makes. */
  public static TestTaskProvider of(String name, Factory factory) {
    return new TestTaskProvider(name, factory);
  }

  /** Sets the line for {@code -h}. */
  public TestTaskProvider description(String description) {
    this.description = requireNonNull(description, "description");
    return this;
  }

  /** Sets the options the provider declares. */
  public TestTaskProvider options(List<TaskOption> options) {
    List<TaskOption> copy = List.copyOf(options);
    return options(() -> copy);
  }

  /** Sets the options, computed at each {@link #options()} (so that a test can make it throw). */
  public TestTaskProvider options(Supplier<List<TaskOption>> options) {
    this.options = requireNonNull(options, "options");
    return this;
  }

  /** Sets the default interval as a function of {@code -task-interval}. */
  public TestTaskProvider defaultInterval(UnaryOperator<Duration> defaultInterval) {
    this.defaultInterval = requireNonNull(defaultInterval, "defaultInterval");
    return this;
  }

  /**
   * The context of the latest {@link #create}.
   *
   * @throws IllegalStateException when no task was created yet
   */
  public TaskContext context() {
    TaskContext latest = context;
    if (latest == null) {
      throw new IllegalStateException("no task " + name + " created yet");
    }
    return latest;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public List<TaskOption> options() {
    return options.get();
  }

  @Override
  public Duration defaultInterval(Duration taskInterval) {
    return defaultInterval.apply(taskInterval);
  }

  @Override
  public Task create(TaskContext context) throws ConfigurationException {
    this.context = context;
    return factory.create(context);
  }

  @Override
  public String toString() {
    return "TestTaskProvider[" + name + "]";
  }
}
