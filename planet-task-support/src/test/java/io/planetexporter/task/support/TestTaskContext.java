package io.planetexporter.task.support;

import io.planetexporter.api.HostIdentity;
import io.planetexporter.api.Inventory;
import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskContext;
import java.time.Clock;

/**
 * A task context made of given parts, for tests.
 *
 * <pre>{@code
 * TaskContext context = new TestTaskContext("darkstat", config, inventory, host, Clock.systemUTC());
 * }</pre>
 */
public record TestTaskContext(
    String taskName, TaskConfig config, Inventory inventory, HostIdentity host, Clock clock)
    implements TaskContext {}
