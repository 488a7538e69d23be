package io.planetexporter.api;

import java.time.Clock;

/**
 * What a task is given when it is created.
 *
 * <pre>{@code
 * public Task create(TaskContext context) {
 *   return new DarkstatTask(URI.create(context.config().string("addr")), context);
 * }
 * }</pre>
 */
public interface TaskContext {

  /** The provider's name, e.g. {@code socketstat}. */
  String taskName();

  /** This task's option values. */
  TaskConfig config();

  /**
   * The inventory in force at the time of the call; {@link Inventory#empty()} when no inventory
   * task runs or none has loaded yet. Call it once per run and use the result for the whole run.
   */
  Inventory inventory();

  /** This machine's name and addresses. */
  HostIdentity host();

  /** The clock to read time from, so tests can set it. */
  Clock clock();
}
