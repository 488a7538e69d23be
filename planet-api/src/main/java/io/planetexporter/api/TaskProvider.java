package io.planetexporter.api;

import java.time.Duration;
import java.util.List;

/**
 * Makes one kind of task. Found with {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/io.planetexporter.api.TaskProvider} of the task's jar and drop the jar
 * into the exporter's {@code lib/}.
 *
 * <pre>{@code
 * public final class UptimeTaskProvider implements TaskProvider {
 *   public String name() { return "uptime"; }
 *   public String description() { return "Serves the host's uptime."; }
 *   public List<TaskOption> options() {
 *     return List.of(TaskOption.of("proc-root", OptionType.STRING, "/proc", "where /proc is"));
 *   }
 *   public Task create(TaskContext context) {
 *     return new UptimeTask(Path.of(context.config().string("proc-root")));
 *   }
 * }
 * }</pre>
 *
 * <p>A provider holds no logic: it names its options and builds the task from their values. This
 * interface grows only by default methods.
 */
public interface TaskProvider {

  /** Lower case words joined by {@code -}; the task's options are {@code -task-<name>-<option>}. */
  String name();

  /** One line for {@code -h}. */
  String description();

  /**
   * The task's own options; {@code enabled}, {@code interval} and {@code max-series} are added for
   * every task.
   */
  default List<TaskOption> options() {
    return List.of();
  }

  /** Whether the task runs when {@code -task-<name>-enabled} is not given. */
  default boolean enabledByDefault() {
    return false;
  }

  /**
   * The task's interval when {@code -task-<name>-interval} is not given.
   *
   * @param taskInterval the value of {@code -task-interval}
   */
  default Duration defaultInterval(Duration taskInterval) {
    return taskInterval;
  }

  /**
   * Builds the task. Called once, only for an enabled task, with options already validated.
   *
   * @throws ConfigurationException when the option values, though well-formed, cannot work (an
   *     unknown format name, an address that is not a URL); the message names the option
   */
  Task create(TaskContext context) throws ConfigurationException;
}
