package io.planetexporter.task.socketstat.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.task.socketstat.owner.ContainerRuntime;
import io.planetexporter.task.socketstat.owner.Workload;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadNamesTest {

  private static final String ID =
      "5e1f00d2c0ff4a7b9c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b";
  private static final String OTHER =
      "a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1";

  @TempDir Path root;
  private RuntimeStateTree state;
  private WorkloadNames names;

  @BeforeEach
  void create() {
    state = new RuntimeStateTree(root);
    names = new WorkloadNames(state.roots());
  }

  private static Workload in(ContainerRuntime runtime, String id) {
    return new Workload(runtime, id, "", "");
  }

  private String name(ContainerRuntime runtime, String id) {
    return names.apply(in(runtime, id)).name();
  }

  @Nested
  class AsEachRuntimeWritesIt {

    @Test
    void dockerWithComposeIsProjectSlashService() {
      state.write(RuntimeState.DOCKER, ID, "docker-compose.config.v2.json");

      Workload named = names.apply(in(ContainerRuntime.DOCKER, ID));

      assertThat(named).isEqualTo(new Workload(ContainerRuntime.DOCKER, ID, "", "shop/web"));
      assertThat(named.container()).isEqualTo("5e1f00d2c0ff");
    }

    @Test
    void dockerWithoutComposeIsTheContainerNameWithoutItsSlash() {
      state.write(RuntimeState.DOCKER, OTHER, "docker.config.v2.json");

      assertThat(name(ContainerRuntime.DOCKER, OTHER)).isEqualTo("cache");
    }

    @Test
    void containerdIsThePodsNamespaceAndOwner() {
      state.write(RuntimeState.CONTAINERD, ID, "containerd.config.json");

      assertThat(name(ContainerRuntime.CONTAINERD, ID)).isEqualTo("shop/checkout");
    }

    @Test
    void crioIsThePodsNamespaceAndOwner() {
      state.write(RuntimeState.CRIO, ID, "crio.config.json");

      assertThat(name(ContainerRuntime.CRIO, ID)).isEqualTo("billing/db");
    }

    @Test
    void aBareKubernetesIdIsLookedForInEachRuntimesState() {
      state.write(RuntimeState.CRIO, ID, "crio.config.json");
      state.docker(OTHER, "kubelet-era");

      assertThat(name(ContainerRuntime.KUBERNETES, ID)).isEqualTo("billing/db");
      assertThat(name(ContainerRuntime.KUBERNETES, OTHER)).isEqualTo("kubelet-era");
    }

    @Test
    void eachRuntimeOnlyInItsOwnPlace() {
      state.write(RuntimeState.CRIO, ID, "crio.config.json");

      assertThat(name(ContainerRuntime.CONTAINERD, ID)).isEmpty();
      assertThat(names.sweep()).isEqualTo(Map.of(WorkloadNames.Failure.MISSING, 1));
    }

    @Test
    void noContainerOrPodmanIsLeftAsItIs() {
      Workload unit = new Workload(ContainerRuntime.NONE, "", "nginx.service", "");
      Workload podman = in(ContainerRuntime.PODMAN, ID);

      assertThat(names.apply(unit)).isSameAs(unit);
      assertThat(names.apply(podman)).isSameAs(podman);
      assertThat(names.sweep()).isEmpty();
    }
  }

  @Nested
  class Failures {

    @Test
    void aMissingFileLeavesTheNameEmptyAndIsCounted() {
      Workload workload = in(ContainerRuntime.DOCKER, ID);

      assertThat(names.apply(workload)).isEqualTo(workload);
      assertThat(names.sweep()).isEqualTo(Map.of(WorkloadNames.Failure.MISSING, 1));
    }

    @Test
    void malformedJsonIsInvalid() {
      state.write(RuntimeState.DOCKER, ID, "{\"Name\":\"/web\",\"Config\":{".getBytes(UTF_8));
      state.write(RuntimeState.CONTAINERD, OTHER, "[]".getBytes(UTF_8));

      assertThat(name(ContainerRuntime.DOCKER, ID)).isEmpty();
      assertThat(name(ContainerRuntime.CONTAINERD, OTHER)).isEmpty();
      assertThat(names.sweep()).isEqualTo(Map.of(WorkloadNames.Failure.INVALID, 2));
    }

    @Test
    void aFileWithoutTheNamesIsInvalid() {
      // A pod namespace without the pod's name, and a name that is not a string.
      state.write(
          RuntimeState.CONTAINERD,
          ID,
          "{\"annotations\":{\"io.kubernetes.cri.sandbox-namespace\":\"shop\"}}".getBytes(UTF_8));
      state.write(RuntimeState.DOCKER, OTHER, "{\"Name\":7,\"Config\":{}}".getBytes(UTF_8));

      assertThat(name(ContainerRuntime.CONTAINERD, ID)).isEmpty();
      assertThat(name(ContainerRuntime.DOCKER, OTHER)).isEmpty();
      assertThat(names.sweep()).isEqualTo(Map.of(WorkloadNames.Failure.INVALID, 2));
    }

    @Test
    void anOversizedFileIsInvalidWithoutBeingRead() throws IOException {
      Path file = state.docker(ID, "web");
      try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
        sparse.setLength(StateJson.MAX_BYTES + 1);
      }

      assertThat(name(ContainerRuntime.DOCKER, ID)).isEmpty();
      assertThat(names.sweep()).isEqualTo(Map.of(WorkloadNames.Failure.INVALID, 1));
    }

    @Test
    void aFileThatCannotBeReadIsUnreadable() throws IOException {
      // A directory where the file should be: what root cannot read either.
      Files.createDirectories(RuntimeState.DOCKER.file(state.roots(), ID));

      assertThat(name(ContainerRuntime.DOCKER, ID)).isEmpty();
      assertThat(names.sweep()).isEqualTo(Map.of(WorkloadNames.Failure.UNREADABLE, 1));
    }
  }

  @Nested
  class Cache {

    @Test
    void readsAContainersFileOnceWhileItIsSeen() throws IOException {
      Path file = state.dockerCompose(ID, "shop", "web");
      assertThat(name(ContainerRuntime.DOCKER, ID)).isEqualTo("shop/web");
      names.sweep();
      Files.delete(file);

      assertThat(name(ContainerRuntime.DOCKER, ID)).isEqualTo("shop/web");
      assertThat(names.sweep()).isEmpty();
    }

    @Test
    void forgetsAContainerNotSeenInACollection() throws IOException {
      Path file = state.dockerCompose(ID, "shop", "web");
      assertThat(name(ContainerRuntime.DOCKER, ID)).isEqualTo("shop/web");
      names.sweep();
      names.sweep(); // a collection without it
      Files.delete(file);

      assertThat(name(ContainerRuntime.DOCKER, ID)).isEmpty();
      assertThat(names.sweep()).isEqualTo(Map.of(WorkloadNames.Failure.MISSING, 1));
    }

    @Test
    void countsOnlyTheContainersOfTheLastCollection() {
      assertThat(name(ContainerRuntime.DOCKER, ID)).isEmpty();
      assertThat(names.sweep()).isEqualTo(Map.of(WorkloadNames.Failure.MISSING, 1));

      assertThat(names.sweep()).isEmpty();
    }
  }
}
