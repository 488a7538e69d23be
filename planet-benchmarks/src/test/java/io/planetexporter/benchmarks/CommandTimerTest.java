package io.planetexporter.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class CommandTimerTest {
  @Test
  void addsUserAndSystemTime() {
    assertThat(CommandTimer.parse("\n1.250 0.300 0.450\n")).isEqualTo(new Timing(1250, 750));
  }

  @Test
  void timesARealCommand() throws Exception {
    Timing sample = CommandTimer.time("cat /proc/net/tcp");

    assertThat(sample.wallMillis()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void failsWhenTheCommandFails() {
    assertThatThrownBy(() -> CommandTimer.time("false"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("\"false\" failed");
  }
}
