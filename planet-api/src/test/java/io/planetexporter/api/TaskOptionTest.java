package io.planetexporter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaskOptionTest {

  @Test
  void makesAnOptionalOptionWithItsDefault() {
    TaskOption option = TaskOption.of("format", OptionType.STRING, "arrayjson", "The format.");

    assertThat(option.requiredWhenEnabled()).isFalse();
    assertThat(option.defaultValue()).isEqualTo("arrayjson");
  }

  @Test
  void makesARequiredStringWithoutDefault() {
    TaskOption option = TaskOption.required("addr", "Where.");

    assertThat(option).isEqualTo(new TaskOption("addr", OptionType.STRING, "", "Where.", true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Addr", "fetch_timeout", "-addr", "addr-", "a--b", "1addr", ""})
  void refusesANameThatIsNotLowerCaseWordsJoinedByDashes(String name) {
    assertThatThrownBy(() -> TaskOption.of(name, OptionType.STRING, "", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + name + "\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"enabled", "interval", "max-series"})
  void refusesTheOptionsEveryTaskHas(String name) {
    assertThatThrownBy(() -> TaskOption.of(name, OptionType.BOOLEAN, "true", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("added to every task");
  }

  @Test
  void refusesADefaultThatDoesNotParse() {
    assertThatThrownBy(() -> TaskOption.of("timeout", OptionType.DURATION, "5", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("default of option \"timeout\" does not parse: invalid duration");
  }

  @Test
  void refusesAnEmptyDefaultOfATypeThatCannotBeEmpty() {
    assertThatThrownBy(() -> TaskOption.of("size", OptionType.BYTES, "", "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesNulls() {
    assertThatThrownBy(() -> new TaskOption("a", null, "", "x", false))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new TaskOption("a", OptionType.STRING, null, "x", false))
        .isInstanceOf(NullPointerException.class);
  }
}
