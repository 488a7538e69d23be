package io.planetexporter.dist;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** promtool on known input, so that a test passing it means something. */
class PromtoolIT {

  @Nested
  class PromtoolCheckMetrics {

    @Test
    void acceptsWellFormedText() {
      assertThat(
              Promtool.checkMetrics(
                  """
                  # HELP planet_things_total Things seen.
                  # TYPE planet_things_total counter
                  planet_things_total{kind="a"} 3
                  """))
          .isEmpty();
    }

    @Test
    void reportsACounterWithoutTotalSuffix() {
      assertThat(
              Promtool.checkMetrics(
                  """
                  # HELP planet_things Things seen.
                  # TYPE planet_things counter
                  planet_things 3
                  """))
          .contains("_total");
    }

    @Test
    void reportsTextThatDoesNotParse() {
      assertThat(Promtool.checkMetrics("planet_things{kind=\"a\" 3\n")).contains("line 1");
    }
  }
}
