package io.planetexporter.task.socketstat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.ConfigurationException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketSourcesTest {

  @TempDir Path root;

  @Test
  void autoReadsTheProcTextOfAProcRootThatIsNotTheKernels() throws Exception {
    assertThat(SocketSources.choose("auto", root).name()).isEqualTo("proc");
  }

  @Test
  void autoReadsNetlinkOnTheKernelsProc() throws Exception {
    assertThat(SocketSources.choose("auto", SocketSources.PROC).name()).isEqualTo("netlink");
  }

  @Test
  void takesTheSourceNamed() throws Exception {
    assertThat(SocketSources.choose("proc", SocketSources.PROC).name()).isEqualTo("proc");
    assertThat(SocketSources.choose("netlink", root).name()).isEqualTo("netlink");
  }

  @Test
  void refusesAnUnknownSource() {
    assertThatThrownBy(() -> SocketSources.choose("ss", root))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("source: \"ss\" is not one of auto, netlink, proc")
        .extracting(e -> ((ConfigurationException) e).option())
        .isEqualTo(Optional.of("source"));
  }
}
