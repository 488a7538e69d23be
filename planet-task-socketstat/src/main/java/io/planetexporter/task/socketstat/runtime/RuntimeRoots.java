package io.planetexporter.task.socketstat.runtime;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Where the container runtimes keep their state on the host (or where it is mounted in the
 * exporter's container).
 *
 * @param docker Docker's root, {@code /var/lib/docker}: {@code containers/<id>/config.v2.json}
 * @param containerdState containerd's state directory, {@code /run/containerd}: {@code
 *     io.containerd.runtime.v2.task/k8s.io/<id>/config.json}
 * @param crio the root of CRI-O's storage, {@code /run/containers/storage}: {@code
 *     overlay-containers/<id>/userdata/config.json}
 */
public record RuntimeRoots(Path docker, Path containerdState, Path crio) {

  public RuntimeRoots {
    requireNonNull(docker, "docker");
    requireNonNull(containerdState, "containerdState");
    requireNonNull(crio, "crio");
  }
}
