package io.planetexporter.task.socketstat.owner;

import static java.util.Objects.requireNonNull;

/**
 * A process that holds sockets.
 *
 * @param pid its id
 * @param startTime when it started, in clock ticks since boot; with the pid it tells a reused pid
 *     from the process that held it before
 * @param name its {@code comm}
 * @param workload its container or systemd unit
 */
public record ProcessInfo(int pid, long startTime, String name, Workload workload) {

  public ProcessInfo {
    requireNonNull(name, "name");
    requireNonNull(workload, "workload");
  }

  /** A process in no container and no unit. */
  public ProcessInfo(int pid, long startTime, String name) {
    this(pid, startTime, name, Workload.NONE);
  }
}
