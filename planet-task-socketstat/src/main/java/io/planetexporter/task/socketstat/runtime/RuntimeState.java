package io.planetexporter.task.socketstat.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** How one runtime writes a container's state: which file, and where the names are in it. */
enum RuntimeState {
  /**
   * {@code <project>/<service>} from the Compose labels, else the container's name without its
   * leading {@code /}.
   */
  DOCKER {
    @Override
    Path file(RuntimeRoots roots, String id) {
      return roots.docker().resolve("containers").resolve(id).resolve("config.v2.json");
    }

    @Override
    String name(Path file) throws IOException {
      Map<List<String>, String> found = StateJson.strings(file, List.of(NAME, PROJECT, SERVICE));
      String project = found.getOrDefault(PROJECT, "");
      String service = found.getOrDefault(SERVICE, "");
      if (!project.isEmpty() && !service.isEmpty()) {
        return project + "/" + service;
      }
      String name = found.getOrDefault(NAME, "");
      return name.startsWith("/") ? name.substring(1) : name;
    }
  },
  /** {@code <namespace>/<owner>} from the CRI plugin's sandbox annotations. */
  CONTAINERD {
    @Override
    Path file(RuntimeRoots roots, String id) {
      return roots
          .containerdState()
          .resolve("io.containerd.runtime.v2.task/k8s.io")
          .resolve(id)
          .resolve("config.json");
    }

    @Override
    String name(Path file) throws IOException {
      return pod(file, "io.kubernetes.cri.sandbox-namespace", "io.kubernetes.cri.sandbox-name");
    }
  },
  /** {@code <namespace>/<owner>} from CRI-O's pod annotations. */
  CRIO {
    @Override
    Path file(RuntimeRoots roots, String id) {
      return roots.crio().resolve("overlay-containers").resolve(id).resolve("userdata/config.json");
    }

    @Override
    String name(Path file) throws IOException {
      return pod(file, "io.kubernetes.pod.namespace", "io.kubernetes.pod.name");
    }
  };

  private static final List<String> NAME = List.of("Name");
  private static final List<String> PROJECT =
      List.of("Config", "Labels", "com.docker.compose.project");
  private static final List<String> SERVICE =
      List.of("Config", "Labels", "com.docker.compose.service");

  /** The container's state file. */
  abstract Path file(RuntimeRoots roots, String id);

  /**
   * The workload name its state file gives, or empty when it gives none.
   *
   * @throws java.nio.file.NoSuchFileException when there is no such file
   * @throws IOException when it cannot be read or does not parse
   */
  abstract String name(Path file) throws IOException;

  /** {@code <namespace>/<owner>} from an OCI bundle's annotations, or empty. */
  private static String pod(Path file, String namespaceKey, String podKey) throws IOException {
    List<String> namespace = List.of("annotations", namespaceKey);
    List<String> pod = List.of("annotations", podKey);
    Map<List<String>, String> found = StateJson.strings(file, List.of(namespace, pod));
    String namespaceName = found.getOrDefault(namespace, "");
    String podName = found.getOrDefault(pod, "");
    return namespaceName.isEmpty() || podName.isEmpty()
        ? ""
        : namespaceName + "/" + PodOwner.of(podName);
  }
}
