package io.planetexporter.task.socketstat;

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
record ProcessInfo(int pid, long startTime, String name, Workload workload) {

  ProcessInfo {
    requireNonNull(name, "name");
    requireNonNull(workload, "workload");
  }

  /** A process in no container and no unit. */
  ProcessInfo(int pid, long startTime, String name) {
    this(pid, startTime, name, Workload.NONE);
  }
}
