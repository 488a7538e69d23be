package io.planetexporter.task.socketstat.owner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class WorkloadTest {

  private static final String ID =
      "3f4e8a9b2c1d0e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f";
  private static final String OTHER_ID =
      "aa11bb22cc33dd44ee55ff6600778899aabbccddeeff00112233445566778899";

  private static Workload container(ContainerRuntime runtime, String id) {
    return new Workload(runtime, id, "", "");
  }

  private static Workload unit(String unit) {
    return new Workload(ContainerRuntime.NONE, "", unit, "");
  }

  @Test
  void theContainerLabelIsTheIdsFirstTwelveCharacters() {
    assertThat(Workload.parse("0::/docker/" + ID + "\n").container()).isEqualTo("3f4e8a9b2c1d");
    assertThat(Workload.NONE.container()).isEmpty();
  }

  @Nested
  class Containers {

    @Test
    void dockerWithTheCgroupfsDriverOnCgroupV1() {
      String cgroup =
          """
          12:pids:/docker/%1$s
          11:memory:/docker/%1$s
          4:cpu,cpuacct:/docker/%1$s
          1:name=systemd:/docker/%1$s
          0::/system.slice/containerd.service
          """
              .formatted(ID);

      assertThat(Workload.parse(cgroup)).isEqualTo(container(ContainerRuntime.DOCKER, ID));
    }

    @Test
    void dockerWithTheSystemdDriverOnCgroupV2() {
      assertThat(Workload.parse("0::/system.slice/docker-" + ID + ".scope\n"))
          .isEqualTo(container(ContainerRuntime.DOCKER, ID));
    }

    @Test
    void dockerWithTheCgroupfsDriverOnCgroupV2() {
      assertThat(Workload.parse("0::/docker/" + ID + "\n"))
          .isEqualTo(container(ContainerRuntime.DOCKER, ID));
    }

    @Test
    void containerdUnderKubernetesWithTheSystemdDriver() {
      String cgroup =
          "0::/kubepods.slice/kubepods-burstable.slice/"
              + "kubepods-burstable-pod1f0c6b6e_42a7_4f3e_9c1b_0c5d2e6f7a8b.slice/"
              + "cri-containerd-"
              + ID
              + ".scope\n";

      assertThat(Workload.parse(cgroup)).isEqualTo(container(ContainerRuntime.CONTAINERD, ID));
    }

    @Test
    void crioUnderKubernetesWithTheSystemdDriver() {
      String cgroup =
          "0::/kubepods.slice/kubepods-besteffort.slice/"
              + "kubepods-besteffort-pod0b5a7e3c_1d2f_4a6b_8c9d_0e1f2a3b4c5d.slice/crio-"
              + ID
              + ".scope\n";

      assertThat(Workload.parse(cgroup)).isEqualTo(container(ContainerRuntime.CRIO, ID));
    }

    @Test
    void kubernetesWithTheCgroupfsDriverOnCgroupV1() {
      String cgroup =
          """
          11:memory:/kubepods/burstable/pod1f0c6b6e-42a7-4f3e-9c1b-0c5d2e6f7a8b/%1$s
          2:cpu,cpuacct:/kubepods/burstable/pod1f0c6b6e-42a7-4f3e-9c1b-0c5d2e6f7a8b/%1$s
          1:name=systemd:/kubepods/burstable/pod1f0c6b6e-42a7-4f3e-9c1b-0c5d2e6f7a8b/%1$s
          """
              .formatted(ID);

      assertThat(Workload.parse(cgroup)).isEqualTo(container(ContainerRuntime.KUBERNETES, ID));
    }

    @Test
    void podmanRootfulAndRootless() {
      assertThat(Workload.parse("0::/machine.slice/libpod-" + ID + ".scope/container\n"))
          .isEqualTo(container(ContainerRuntime.PODMAN, ID));
      assertThat(
              Workload.parse(
                  "0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-"
                      + ID
                      + ".scope\n"))
          .isEqualTo(container(ContainerRuntime.PODMAN, ID));
    }

    @Test
    void podmansConmonIsNotTheContainer() {
      assertThat(Workload.parse("0::/machine.slice/libpod-conmon-" + ID + ".scope\n"))
          .isEqualTo(unit("libpod-conmon-" + ID + ".scope"));
    }

    @Test
    void theInnermostOfNestedContainers() {
      assertThat(Workload.parse("0::/docker/" + OTHER_ID + "/docker/" + ID + "\n"))
          .isEqualTo(container(ContainerRuntime.DOCKER, ID));
    }

    @Test
    void isLowerCaseHexOfSixtyFourCharactersOnly() {
      assertThat(Workload.parse("0::/docker/" + ID.toUpperCase(java.util.Locale.ROOT) + "\n"))
          .isEqualTo(Workload.NONE);
      assertThat(Workload.parse("0::/docker/" + ID.substring(1) + "\n")).isEqualTo(Workload.NONE);
      assertThat(Workload.parse("0::/system.slice/docker-" + ID + "0.scope\n"))
          .isEqualTo(unit("docker-" + ID + "0.scope"));
    }

    @Test
    void aBareIdOutsideDockerAndKubepodsIsNoContainer() {
      assertThat(Workload.parse("0::/lxc.payload/" + ID + "\n")).isEqualTo(Workload.NONE);
    }

    @Test
    void hybridHostWhereOnlyTheV1HierarchiesNameTheContainer() {
      String cgroup =
          """
          12:devices:/system.slice/docker-%1$s.scope
          9:name=systemd:/system.slice/docker-%1$s.scope
          0::/
          """
              .formatted(ID);

      assertThat(Workload.parse(cgroup)).isEqualTo(container(ContainerRuntime.DOCKER, ID));
    }
  }

  @Nested
  class Units {

    @Test
    void aServiceOnCgroupV2() {
      assertThat(Workload.parse("0::/system.slice/nginx.service\n"))
          .isEqualTo(unit("nginx.service"));
    }

    @Test
    void aLoginSession() {
      assertThat(Workload.parse("0::/user.slice/user-1000.slice/session-3.scope\n"))
          .isEqualTo(unit("session-3.scope"));
    }

    @Test
    void aUserServiceIsTheInnermostUnit() {
      assertThat(
              Workload.parse(
                  "0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
                      + "pipewire.service\n"))
          .isEqualTo(unit("pipewire.service"));
    }

    @Test
    void aCgroupDelegatedBelowAService() {
      assertThat(Workload.parse("0::/system.slice/postgresql.service/workers/w1\n"))
          .isEqualTo(unit("postgresql.service"));
    }

    @Test
    void theNamedSystemdHierarchyOnCgroupV1() {
      String cgroup =
          """
          11:memory:/system.slice
          4:cpu,cpuacct:/system.slice
          1:name=systemd:/system.slice/sshd.service
          """;

      assertThat(Workload.parse(cgroup)).isEqualTo(unit("sshd.service"));
    }

    @Test
    void anyControllersHierarchyOnCgroupV1WithoutTheNamedOne() {
      String cgroup =
          """
          7:pids:/system.slice/cron.service
          3:memory:/
          """;

      assertThat(Workload.parse(cgroup)).isEqualTo(unit("cron.service"));
    }

    @Test
    void theUnifiedHierarchyComesFirstOnAHybridHost() {
      String cgroup =
          """
          12:memory:/system.slice
          1:name=systemd:/system.slice/old-view.service
          0::/system.slice/redis-server.service
          """;

      assertThat(Workload.parse(cgroup)).isEqualTo(unit("redis-server.service"));
    }

    @Test
    void theNamedHierarchyWhenTheUnifiedOneIsTheRoot() {
      String cgroup =
          """
          9:name=systemd:/system.slice/demo-db.service
          4:memory:/
          0::/
          """;

      assertThat(Workload.parse(cgroup)).isEqualTo(unit("demo-db.service"));
    }
  }

  @Test
  void noneForTheRootCgroupASliceOrGarbage() {
    assertThat(Workload.parse("0::/\n")).isEqualTo(Workload.NONE);
    assertThat(Workload.parse("0::/system.slice\n")).isEqualTo(Workload.NONE);
    assertThat(Workload.parse("0::/init.scope/.scope\n")).isEqualTo(unit("init.scope"));
    assertThat(Workload.parse("")).isEqualTo(Workload.NONE);
    assertThat(Workload.parse("not a cgroup line\n")).isEqualTo(Workload.NONE);
  }
}
