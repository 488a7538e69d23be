package io.planetexporter.task.socketstat;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.OptionType;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskContext;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import io.planetexporter.task.socketstat.bytes.ByteCountMode;
import io.planetexporter.task.socketstat.bytes.ByteCounting;
import io.planetexporter.task.socketstat.namespace.NamespaceSource;
import io.planetexporter.task.socketstat.owner.ProcFsProcessSource;
import io.planetexporter.task.socketstat.runtime.RuntimeRoots;
import io.planetexporter.task.socketstat.table.SocketSource;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/** The {@code socketstat} task: dependencies from the host's socket table. Enabled by default. */
public final class SocketstatTaskProvider implements TaskProvider {

  @Override
  public String name() {
    return "socketstat";
  }

  @Override
  public String description() {
    return "Reads the socket table (netlink sock_diag or /proc/net) and serves upstream, downstream and listening"
        + " processes.";
  }

  @Override
  public List<TaskOption> options() {
    return List.of(
        TaskOption.of(
            "proc-root",
            OptionType.STRING,
            "/proc",
            "where the proc file system is mounted (net/tcp and <pid>/fd are read under it)"),
        TaskOption.of(
            "source",
            OptionType.STRING,
            "auto",
            "where the socket table comes from: netlink (sock_diag dumps, with TCP byte"
                + " counters), proc (/proc/net text), or auto (netlink when it answers and"
                + " proc-root is /proc, else proc)"),
        TaskOption.of(
            "bytes",
            OptionType.BOOLEAN,
            "true",
            "serve planet_upstream_bytes_total and planet_downstream_bytes_total (TCP, netlink"
                + " source)"),
        TaskOption.of(
            "health",
            OptionType.BOOLEAN,
            "true",
            "serve edge health (TCP, netlink source): connect failures, retransmitted bytes and"
                + " RTT of each upstream and downstream, accept queue of each listener"),
        TaskOption.of(
            "edge-retention",
            OptionType.DURATION,
            "10m",
            "how long the byte counters of an edge whose connections have all closed stay after"
                + " its last byte"),
        TaskOption.of(
            "namespaces",
            OptionType.STRING,
            "all",
            "which network namespaces to read: all (every one that holds a process, e.g."
                + " containers') or own (the exporter's)"),
        TaskOption.of(
            "docker-root",
            OptionType.STRING,
            "/var/lib/docker",
            "Docker's root directory: a container's workload (Compose <project>/<service>, else"
                + " its name) is read from containers/<id>/config.v2.json under it"),
        TaskOption.of(
            "containerd-state",
            OptionType.STRING,
            "/run/containerd",
            "containerd's state directory: a Kubernetes container's workload"
                + " (<namespace>/<owner>) is read from"
                + " io.containerd.runtime.v2.task/k8s.io/<id>/config.json under it"),
        TaskOption.of(
            "crio-root",
            OptionType.STRING,
            "/run/containers/storage",
            "CRI-O's storage root: a Kubernetes container's workload (<namespace>/<owner>) is"
                + " read from overlay-containers/<id>/userdata/config.json under it"),
        TaskOption.of(
            "container-id-label",
            OptionType.BOOLEAN,
            "true",
            "label series with the container id (container); false leaves it empty, so that a"
                + " workload's series do not change when its containers are replaced"));
  }

  @Override
  public boolean enabledByDefault() {
    return true;
  }

  @Override
  public Task create(TaskContext context) throws ConfigurationException {
    Path procRoot = path(context, "proc-root");
    if (!Files.isDirectory(procRoot)) {
      throw ConfigurationException.forOption("proc-root", procRoot + " is not a directory");
    }
    // Every option is checked before the byte counters start their listener, which a refused
    // option would otherwise leave running.
    String namespaces = context.config().string("namespaces");
    boolean readOthers =
        switch (namespaces) {
          case "all" -> true;
          case "own" -> false;
          default ->
              throw ConfigurationException.forOption(
                  "namespaces", "\"" + namespaces + "\" is neither all nor own");
        };
    RuntimeRoots runtimes =
        new RuntimeRoots(
            path(context, "docker-root"),
            path(context, "containerd-state"),
            path(context, "crio-root"));
    SocketSource source = SocketSources.choose(context.config().string("source"), procRoot);
    ByteCounting bytes =
        ByteCounting.start(
            new ByteCounting.Counted(
                context.config().bool("bytes"), context.config().bool("health")),
            source,
            context.config().duration("edge-retention"));
    NamespaceSource otherNamespaces =
        readOthers
            ? NamespaceSource.of(source, procRoot, bytes.mode() == ByteCountMode.DESTROY_EVENTS)
            : null;
    return new SocketstatTask(
        procRoot,
        source,
        context,
        new ProcFsProcessSource(procRoot),
        otherNamespaces,
        bytes,
        runtimes,
        context.config().bool("container-id-label"));
  }

  /**
   * A path option. A directory that does not exist is no error: the host may run another runtime,
   * and its containers are counted unnamed.
   */
  private static Path path(TaskContext context, String option) throws ConfigurationException {
    String text = context.config().string(option);
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw ConfigurationException.forOption(option, "not a path: " + text, e);
    }
  }
}
