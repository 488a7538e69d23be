package io.planetexporter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OptionTypeTest {

  @Test
  void takesAnyStringAsItIs() {
    assertThat(OptionType.STRING.parse(" a b ")).isEqualTo(" a b ");
  }

  @Nested
  class Booleans {

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "1", "t", "T"})
    void readsTrue(String text) {
      assertThat(OptionType.BOOLEAN.parse(text)).isEqualTo(Boolean.TRUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "False", "0", "f", "F"})
    void readsFalse(String text) {
      assertThat(OptionType.BOOLEAN.parse(text)).isEqualTo(Boolean.FALSE);
    }

    @Test
    void refusesOtherWords() {
      assertThatThrownBy(() -> OptionType.BOOLEAN.parse("yes"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("invalid boolean \"yes\" (want true or false)");
    }
  }

  @Nested
  class Integers {

    @Test
    void readsALong() {
      assertThat(OptionType.INTEGER.parse("-42")).isEqualTo(-42L);
    }

    @Test
    void refusesText() {
      assertThatThrownBy(() -> OptionType.INTEGER.parse("4x")).hasMessage("invalid integer \"4x\"");
    }
  }

  @Test
  void readsDurationsAsGoDoes() {
    assertThat(OptionType.DURATION.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
  }

  @Nested
  class Bytes {

    @ParameterizedTest
    @CsvSource({
      "65536, 65536",
      "10B, 10",
      "512KiB, 524288",
      "64MiB, 67108864",
      "2GiB, 2147483648",
      "3KB, 3000",
      "5MB, 5000000",
      "1GB, 1000000000",
      "7 MiB, 7340032"
    })
    void readsSizesWithUnits(String text, long expected) {
      assertThat(OptionType.BYTES.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MiB", "1TiB", "-1", "1.5MiB", "99999999999999999999"})
    void refusesWhatIsNoSize(String text) {
      assertThatThrownBy(() -> OptionType.BYTES.parse(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("invalid size \"" + text + "\" (want e.g. 65536, 512KiB, 64MiB)");
    }

    @Test
    void refusesASizeThatOverflows() {
      assertThatThrownBy(() -> OptionType.BYTES.parse("9999999999999GiB"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
