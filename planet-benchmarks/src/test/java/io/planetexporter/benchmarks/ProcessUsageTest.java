package io.planetexporter.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessUsageTest {
  private static final Path FIXTURES =
      Path.of("src/test/resources/io/planetexporter/benchmarks/ProcessUsageTest");

  @Test
  void readsCpuAfterACommandNameWithSpacesAndParentheses() throws Exception {
    ProcessUsage usage =
        ProcessUsage.parse(
            Files.readString(FIXTURES.resolve("stat")),
            Files.readString(FIXTURES.resolve("status")));

    assertThat(usage).isEqualTo(new ProcessUsage((1234 + 567) * 10.0, 84_000, 90_112));
  }

  @Test
  void readsThisProcess() throws Exception {
    ProcessUsage usage = ProcessUsage.read(Path.of("/proc"), ProcessHandle.current().pid());

    assertThat(usage.rssKib()).isPositive().isLessThanOrEqualTo(usage.peakRssKib());
  }
}
