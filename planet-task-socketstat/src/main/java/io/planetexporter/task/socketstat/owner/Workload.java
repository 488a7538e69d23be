package io.planetexporter.task.socketstat.owner;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Map;

/**
 * What a process runs as: its container or systemd unit, read from the cgroup paths of {@code
 * /proc/<pid>/cgroup}, and the container's workload name, read from its runtime's state (the {@code
 * runtime} package) and added by {@link #named}.
 *
 * <p>A container is recognised by the path its runtime writes: Docker ({@code /docker/<id>} with
 * the cgroupfs driver, {@code docker-<id>.scope} with systemd's), containerd and CRI-O under
 * Kubernetes ({@code cri-containerd-<id>.scope}, {@code crio-<id>.scope}, or the bare {@code <id>}
 * below a {@code kubepods} cgroup), and Podman ({@code libpod-<id>.scope}); {@code <id>} is 64 hex
 * characters, of which the first 12 are the label, as {@code docker ps} shows. The deepest match
 * wins (a container inside a container is the inner one). A process in no container gets its
 * systemd unit: the deepest path element ending in {@code .service} or {@code .scope}.
 *
 * <p>Hierarchies are tried in order: the unified one ({@code 0::}, cgroup v2 and hybrid hosts),
 * then systemd's named v1 hierarchy ({@code name=systemd}), then every controller's in file order;
 * the first path that names a container, else the first that names a unit, decides.
 *
 * @param runtime the runtime whose path names the container, {@link ContainerRuntime#NONE} for none
 * @param containerId the container's id, 64 lower-case hex characters, or empty
 * @param unit a systemd unit such as {@code nginx.service}, or empty; always empty in a container
 * @param name the container's workload ({@code shop/checkout}, {@code shop/web}, a container name),
 *     or empty: not read yet, unreadable, or no container
 */
public record Workload(ContainerRuntime runtime, String containerId, String unit, String name) {

  public static final Workload NONE = new Workload(ContainerRuntime.NONE, "", "", "");

  private static final int ID_LENGTH = 64;
  private static final int LABEL_LENGTH = 12;
  private static final Map<String, ContainerRuntime> SCOPE_PREFIXES =
      Map.of(
          "docker-", ContainerRuntime.DOCKER,
          "cri-containerd-", ContainerRuntime.CONTAINERD,
          "crio-", ContainerRuntime.CRIO,
          "libpod-", ContainerRuntime.PODMAN);

  public Workload {
    requireNonNull(runtime, "runtime");
    requireNonNull(containerId, "containerId");
    requireNonNull(unit, "unit");
    requireNonNull(name, "name");
  }

  /** The {@code container} label: the first 12 characters of the id, as {@code docker ps}. */
  public String container() {
    return containerId.isEmpty() ? "" : containerId.substring(0, LABEL_LENGTH);
  }

  /** This workload with its container's workload name. */
  public Workload named(String workloadName) {
    return new Workload(runtime, containerId, unit, workloadName);
  }

  /** The workload of the process whose {@code /proc/<pid>/cgroup} reads {@code text}. */
  public static Workload parse(String text) {
    String[] paths = pathsInOrder(text);
    for (String path : paths) {
      Workload container = container(path);
      if (container != null) {
        return container;
      }
    }
    for (String path : paths) {
      String unit = unit(path);
      if (!unit.isEmpty()) {
        return new Workload(ContainerRuntime.NONE, "", unit, "");
      }
    }
    return NONE;
  }

  /** The cgroup paths of {@code hierarchy-ID:controllers:path} lines, unified and systemd first. */
  private static String[] pathsInOrder(String text) {
    String[] lines = text.lines().toArray(String[]::new);
    String[] paths = new String[lines.length];
    int n = 0;
    for (int rank = 0; rank < 3; rank++) {
      for (String line : lines) {
        int first = line.indexOf(':');
        int second = first < 0 ? -1 : line.indexOf(':', first + 1);
        if (second < 0) {
          continue; // not a cgroup line
        }
        String controllers = line.substring(first + 1, second);
        int lineRank =
            line.startsWith("0:") && controllers.isEmpty()
                ? 0
                : controllers.equals("name=systemd") ? 1 : 2;
        if (lineRank == rank) {
          paths[n++] = line.substring(second + 1);
        }
      }
    }
    return Arrays.copyOf(paths, n);
  }

  /** The deepest container a path names, or null. */
  private static Workload container(String path) {
    String[] elements = path.split("/");
    boolean kubepods = false;
    Workload found = null;
    for (int i = 0; i < elements.length; i++) {
      String element = elements[i];
      kubepods |= element.startsWith("kubepods");
      if (isId(element, 0, element.length())
          && (kubepods || (i > 0 && elements[i - 1].equals("docker")))) {
        found =
            new Workload(
                kubepods ? ContainerRuntime.KUBERNETES : ContainerRuntime.DOCKER, element, "", "");
      } else if (element.endsWith(".scope")) {
        int end = element.length() - ".scope".length();
        for (Map.Entry<String, ContainerRuntime> prefix : SCOPE_PREFIXES.entrySet()) {
          if (element.startsWith(prefix.getKey()) && isId(element, prefix.getKey().length(), end)) {
            found =
                new Workload(
                    prefix.getValue(), element.substring(prefix.getKey().length(), end), "", "");
          }
        }
      }
    }
    return found;
  }

  private static boolean isId(String text, int start, int end) {
    if (end - start != ID_LENGTH) {
      return false;
    }
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }

  private static String unit(String path) {
    String[] elements = path.split("/");
    for (int i = elements.length - 1; i >= 0; i--) {
      String element = elements[i];
      if (isUnit(element, ".service") || isUnit(element, ".scope")) {
        return element;
      }
    }
    return "";
  }

  private static boolean isUnit(String element, String suffix) {
    return element.length() > suffix.length() && element.endsWith(suffix);
  }
}
