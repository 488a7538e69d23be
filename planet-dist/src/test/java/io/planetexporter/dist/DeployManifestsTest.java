package io.planetexporter.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.planetexporter.api.TaskOption;
import io.planetexporter.task.socketstat.SocketstatTaskProvider;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/kubernetes/} read with the Kubernetes model (every document must deserialize into
 * its kind), and the fields it promises: the exporter's DaemonSet in the host's PID and network
 * namespaces with socketstat's capabilities, read-only mounts of each runtime's state where the
 * task's options look for it, a read-only root, limits above the launchers' heaps, the probes on
 * the served paths; a Service that selects it; planet-map's Deployment.
 */
class DeployManifestsTest {

  private static final Path DEPLOY = Path.of("..", "deploy", "kubernetes");
  private static final Path BIN = Path.of("src", "dist", "bin");

  /** The state file directories below each option's directory, and the option's default. */
  private static final Map<String, String> STATE_BELOW =
      Map.of(
          "docker-root", "/containers",
          "containerd-state", "/io.containerd.runtime.v2.task",
          "crio-root", "/overlay-containers");

  private static List<HasMetadata> read(String file) throws IOException {
    YAMLMapper yaml = new YAMLMapper();
    List<HasMetadata> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> documents =
        yaml.readerFor(JsonNode.class).readValues(DEPLOY.resolve(file).toFile())) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        Class<? extends HasMetadata> kind =
            switch (document.path("kind").asText()) {
              case "DaemonSet" -> DaemonSet.class;
              case "Deployment" -> Deployment.class;
              case "Service" -> Service.class;
              default -> throw new AssertionError(file + ": unexpected kind " + document);
            };
        objects.add(yaml.treeToValue(document, kind));
      }
    }
    return objects;
  }

  private static <T> T only(List<HasMetadata> objects, Class<T> kind) {
    List<T> found = objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  /** The value of {@code -name=value} among a container's arguments. */
  private static Optional<String> flag(Container container, String name) {
    String prefix = "-" + name + "=";
    return container.getArgs().stream()
        .filter(arg -> arg.startsWith(prefix))
        .map(arg -> arg.substring(prefix.length()))
        .findFirst();
  }

  private static String socketstatDefault(String option) {
    return new SocketstatTaskProvider()
        .options().stream()
            .filter(o -> o.name().equals(option))
            .map(TaskOption::defaultValue)
            .findFirst()
            .orElseThrow();
  }

  /** The launcher's default {@code -Xmx}, in bytes. */
  private static BigDecimal maxHeap(String launcher) throws IOException {
    Matcher xmx =
        Pattern.compile("-Xmx(\\d+)([mg])").matcher(Files.readString(BIN.resolve(launcher)));
    assertThat(xmx.find()).as("-Xmx in " + launcher).isTrue();
    return BigDecimal.valueOf(Long.parseLong(xmx.group(1)) << (xmx.group(2).equals("g") ? 30 : 20));
  }

  private static BigDecimal bytes(Quantity quantity) {
    return Quantity.getAmountInBytes(quantity);
  }

  @Test
  void theExportersDaemonSetRunsInTheHostsNamespacesWithSocketstatsCapabilities()
      throws IOException {
    DaemonSet daemonSet = only(read("planet-exporter.yaml"), DaemonSet.class);
    PodSpec pod = daemonSet.getSpec().getTemplate().getSpec();
    Container exporter = pod.getContainers().get(0);

    assertThat(pod.getHostPID()).isTrue();
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(exporter.getCommand()).containsExactly("/opt/planet-exporter/bin/planet-exporter");
    var security = exporter.getSecurityContext();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getPrivileged()).isFalse();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    // Root, since Kubernetes gives a non-root user no ambient capabilities; only these.
    assertThat(security.getRunAsUser()).isZero();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd())
        .containsExactlyInAnyOrder("SYS_PTRACE", "DAC_READ_SEARCH", "NET_ADMIN", "SYS_ADMIN");
    // Nothing writable but an emptyDir.
    for (VolumeMount mount : exporter.getVolumeMounts()) {
      Volume volume = volume(pod, mount.getName());
      assertThat(Boolean.TRUE.equals(mount.getReadOnly()) || volume.getEmptyDir() != null)
          .as(mount.getMountPath())
          .isTrue();
    }
  }

  @Test
  void eachRuntimesStateIsMountedReadOnlyWhereTheTasksOptionLooksForIt() throws IOException {
    DaemonSet daemonSet = only(read("planet-exporter.yaml"), DaemonSet.class);
    PodSpec pod = daemonSet.getSpec().getTemplate().getSpec();
    Container exporter = pod.getContainers().get(0);

    for (Map.Entry<String, String> option : STATE_BELOW.entrySet()) {
      String inContainer =
          flag(exporter, "task-socketstat-" + option.getKey()).orElseThrow() + option.getValue();
      String onHost = socketstatDefault(option.getKey()) + option.getValue();
      VolumeMount mount =
          exporter.getVolumeMounts().stream()
              .filter(m -> m.getMountPath().equals(inContainer))
              .findFirst()
              .orElseThrow(() -> new AssertionError("nothing mounted at " + inContainer));
      assertThat(mount.getReadOnly()).as(inContainer).isTrue();
      assertThat(volume(pod, mount.getName()).getHostPath().getPath()).isEqualTo(onHost);
    }
  }

  @Test
  void resourcesLeaveRoomAboveTheHeapAndProbesAskTheServedPaths() throws IOException {
    List<HasMetadata> objects = read("planet-exporter.yaml");
    DaemonSet daemonSet = only(objects, DaemonSet.class);
    Container exporter = daemonSet.getSpec().getTemplate().getSpec().getContainers().get(0);

    var resources = exporter.getResources();
    assertThat(resources.getRequests()).containsKeys("cpu", "memory");
    assertThat(bytes(resources.getLimits().get("memory")))
        .isGreaterThan(maxHeap("planet-exporter"));
    assertThat(bytes(resources.getRequests().get("memory")))
        .isLessThanOrEqualTo(bytes(resources.getLimits().get("memory")));
    String port = flag(exporter, "listen-address").orElseThrow();
    assertThat(exporter.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(":" + p.getContainerPort()).isEqualTo(port);
              assertThat(p.getName()).isEqualTo("metrics");
            });
    assertThat(exporter.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/-/healthy");
    assertThat(exporter.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
    assertThat(exporter.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/-/ready");

    // The Service finds the DaemonSet's pods on that port.
    Service service = only(objects, Service.class);
    assertThat(daemonSet.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("metrics"));
  }

  @Test
  void planetMapIsADeploymentWithItsServiceAndProbes() throws IOException {
    List<HasMetadata> objects = read("planet-map.yaml");
    Deployment deployment = only(objects, Deployment.class);
    PodTemplateSpec template = deployment.getSpec().getTemplate();
    Container map = template.getSpec().getContainers().get(0);

    assertThat(template.getMetadata().getLabels())
        .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(map.getCommand()).containsExactly("/opt/planet-exporter/bin/planet-map");
    assertThat(flag(map, "prometheus-url")).isPresent();
    assertThat(map.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(template.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(bytes(map.getResources().getLimits().get("memory")))
        .isGreaterThan(maxHeap("planet-map"));
    assertThat(map.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/-/healthy");
    assertThat(map.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/-/healthy");
    Service service = only(objects, Service.class);
    assertThat(template.getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
  }

  private static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }
}
