package io.planetexporter.server;

import static java.util.Objects.requireNonNull;

import io.planetexporter.collector.TaskSpec;
import io.planetexporter.net.IpAddress;
import io.planetexporter.web.LogSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The program's validated configuration.
 *
 * @param listenHost host part of -listen-address, empty for every interface
 * @param listenPort port part of -listen-address, 0 for a free one
 * @param log how to log
 * @param taskInterval the default interval of the tasks
 * @param primaryIp the operator's override of the host's primary IP
 * @param tasks the enabled tasks with their configuration
 * @param webConfigFile the exporter-toolkit web config file, if any
 * @param connectionsPerAddress most open connections from one client address
 */
record Settings(
    String listenHost,
    int listenPort,
    LogSettings log,
    Duration taskInterval,
    Optional<IpAddress> primaryIp,
    List<TaskSpec> tasks,
    Optional<Path> webConfigFile,
    int connectionsPerAddress) {

  Settings {
    requireNonNull(listenHost, "listenHost");
    requireNonNull(log, "log");
    requireNonNull(taskInterval, "taskInterval");
    requireNonNull(primaryIp, "primaryIp");
    tasks = List.copyOf(tasks);
    requireNonNull(webConfigFile, "webConfigFile");
    if (connectionsPerAddress < 1) {
      throw new IllegalArgumentException("connectionsPerAddress below 1: " + connectionsPerAddress);
    }
    if (listenPort < 0 || listenPort > 65535) {
      throw new IllegalArgumentException("port out of range: " + listenPort);
    }
  }
}
