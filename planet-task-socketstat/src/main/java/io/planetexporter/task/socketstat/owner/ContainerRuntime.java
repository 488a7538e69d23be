package io.planetexporter.task.socketstat.owner;

/** The runtime that a container's cgroup path names: where its state files are to be found. */
public enum ContainerRuntime {
  /** No container. */
  NONE,
  /** {@code /docker/<id>}, {@code docker-<id>.scope}. */
  DOCKER,
  /** {@code cri-containerd-<id>.scope}. */
  CONTAINERD,
  /** {@code crio-<id>.scope}. */
  CRIO,
  /**
   * A bare {@code <id>} below a {@code kubepods} cgroup (the cgroupfs driver): containerd, CRI-O or
   * Docker, which the path does not tell.
   */
  KUBERNETES,
  /** {@code libpod-<id>.scope}. */
  PODMAN
}
