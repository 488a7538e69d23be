package io.planetexporter.task.socketstat.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The state directories of Docker, containerd and CRI-O in a directory ({@code docker}, {@code
 * containerd}, {@code crio}), with each container's state file where its runtime writes it.
 */
public final class RuntimeStateTree {

  private final Path root;

  public RuntimeStateTree(Path root) {
    this.root = root;
  }

  /** The roots to give the task. */
  public RuntimeRoots roots() {
    return new RuntimeRoots(
        root.resolve("docker"), root.resolve("containerd"), root.resolve("crio"));
  }

  /** Writes a fixture of this package's resources as the state file of a container. */
  public Path write(RuntimeState runtime, String id, String fixture) {
    try (InputStream in = RuntimeStateTree.class.getResourceAsStream(fixture)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + fixture);
      }
      return write(runtime, id, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the state file of a container. */
  public Path write(RuntimeState runtime, String id, byte[] content) {
    try {
      Path file = runtime.file(roots(), id);
      Files.createDirectories(file.getParent());
      return Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a Docker container that Compose made ({@code Name} is Compose's too). */
  public Path dockerCompose(String id, String project, String service) {
    return write(
        RuntimeState.DOCKER,
        id,
        ("""
        {"ID":"%1$s","Name":"/%2$s-%3$s-1","Config":{"Hostname":"%4$s","Labels":{\
        "com.docker.compose.project":"%2$s","com.docker.compose.service":"%3$s",\
        "com.docker.compose.container-number":"1"}}}"""
                .formatted(id, project, service, id.substring(0, 12)))
            .getBytes(UTF_8));
  }

  /** Writes a Docker container named {@code name} ({@code docker run --name}). */
  public Path docker(String id, String name) {
    return write(
        RuntimeState.DOCKER,
        id,
        """
        {"ID":"%s","Name":"/%s","Config":{"Labels":{}}}"""
            .formatted(id, name)
            .getBytes(UTF_8));
  }

  /** Writes a Kubernetes container of containerd's CRI plugin. */
  public Path containerd(String id, String namespace, String pod) {
    return write(
        RuntimeState.CONTAINERD,
        id,
        """
        {"ociVersion":"1.1.0","annotations":{"io.kubernetes.cri.container-type":"container",\
        "io.kubernetes.cri.sandbox-namespace":"%s","io.kubernetes.cri.sandbox-name":"%s"}}"""
            .formatted(namespace, pod)
            .getBytes(UTF_8));
  }
}
