package io.planetexporter.task.socketstat.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.task.socketstat.FakeProcTree;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelSettingsTest {

  @TempDir Path root;

  @Test
  void readsTheEphemeralRangeAndBindv6only() throws IOException {
    new FakeProcTree(root)
        .file("sys/net/ipv4/ip_local_port_range", "1024\t65000\n")
        .file("sys/net/ipv6/bindv6only", "1\n");

    KernelSettings settings = KernelSettings.read(root);

    assertThat(settings).isEqualTo(new KernelSettings(1024, 65000, true));
    assertThat(settings.isEphemeral(1023)).isFalse();
    assertThat(settings.isEphemeral(1024)).isTrue();
    assertThat(settings.isEphemeral(65000)).isTrue();
    assertThat(settings.isEphemeral(65001)).isFalse();
  }

  @Test
  void keepsTheKernelDefaultsWhereNothingCanBeRead() throws IOException {
    assertThat(KernelSettings.read(root)).isEqualTo(new KernelSettings(32768, 60999, false));
  }

  @Test
  void refusesARangeThatIsNotTwoPorts() {
    new FakeProcTree(root).file("sys/net/ipv4/ip_local_port_range", "low high\n");

    assertThatThrownBy(() -> KernelSettings.read(root))
        .isInstanceOf(IOException.class)
        .hasMessage("ip_local_port_range: not two ports: \"low high\"");
  }
}
