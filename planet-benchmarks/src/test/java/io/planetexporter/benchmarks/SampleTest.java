package io.planetexporter.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SampleTest {
  @Test
  void takesTheMedianOfWallAndCpuSeparately() {
    List<Sample> samples = List.of(new Sample(30, 1), new Sample(10, 3), new Sample(20, 2));

    assertThat(Sample.median(samples)).isEqualTo(new Sample(20, 2));
  }

  @Test
  void averagesTheTwoMiddleValuesOfAnEvenCount() {
    assertThat(Sample.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
  }
}
