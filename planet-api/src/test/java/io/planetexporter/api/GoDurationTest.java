package io.planetexporter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

  @Nested
  class Parse {

    @ParameterizedTest
    @CsvSource({
      "7s, PT7S",
      "1m30s, PT1M30S",
      "500ms, PT0.5S",
      "1.5h, PT1H30M",
      "2h45m, PT2H45M",
      "100us, PT0.0001S",
      "100µs, PT0.0001S",
      "10ns, PT0.00000001S",
      "0, PT0S",
      "0s, PT0S",
      "+5s, PT5S",
      ".5s, PT0.5S",
      "1m0.25s, PT1M0.25S"
    })
    void readsGoDurations(String text, Duration expected) {
      assertThat(GoDuration.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "7", "s", "-1s", "1x", "1.2.3s", "1s5", ".s", "+", "1 s"})
    void refusesWhatGoRefuses(String text) {
      assertThatThrownBy(() -> GoDuration.parse(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("\"" + text + "\"");
    }

    @Test
    void namesTheUnknownUnit() {
      assertThatThrownBy(() -> GoDuration.parse("3d"))
          .hasMessage("unknown unit \"d\" in duration \"3d\" (want ns, us, ms, s, m, h)");
    }

    @Test
    void refusesADurationBeyondRange() {
      assertThatThrownBy(() -> GoDuration.parse("9999999999h"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("out of range");
    }
  }

  @Nested
  class Format {

    @ParameterizedTest
    @CsvSource({
      "PT7S, 7s",
      "PT2M55S, 2m55s",
      "PT1H, 1h0m0s",
      "PT0.5S, 500ms",
      "PT1.5S, 1.5s",
      "PT0S, 0s",
      "PT0.000001S, 1us",
      "PT0.000000042S, 42ns",
      "PT26H3M4.005S, 26h3m4.005s"
    })
    void writesAsGoDoes(Duration duration, String expected) {
      assertThat(GoDuration.format(duration)).isEqualTo(expected);
    }

    @Test
    void writesNegativeDurationsWithASign() {
      assertThat(GoDuration.format(Duration.ofSeconds(-3))).isEqualTo("-3s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"7s", "2m55s", "1h0m0s", "500ms", "1.5s", "26h3m4.005s"})
    void readsBackWhatItWrites(String text) {
      assertThat(GoDuration.format(GoDuration.parse(text))).isEqualTo(text);
    }
  }
}
