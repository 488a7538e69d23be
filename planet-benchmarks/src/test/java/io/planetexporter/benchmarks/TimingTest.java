package io.planetexporter.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimingTest {
  @Test
  void takesTheMedianOfWallAndCpuSeparately() {
    List<Timing> samples = List.of(new Timing(30, 1), new Timing(10, 3), new Timing(20, 2));

    assertThat(Timing.median(samples)).isEqualTo(new Timing(20, 2));
  }

  @Test
  void averagesTheTwoMiddleValuesOfAnEvenCount() {
    assertThat(Timing.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
  }
}
