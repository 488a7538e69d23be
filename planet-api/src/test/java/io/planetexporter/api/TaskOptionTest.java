package io.planetexporter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Nested;
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

  @Nested
  class AllowedValuesAndValidator {

    private final TaskOption format =
        TaskOption.of("format", OptionType.STRING, "arrayjson", "x")
            .allowing("arrayjson", "ndjson");

    private final TaskOption peers =
        TaskOption.of("max-peers", OptionType.INTEGER, "10", "x")
            .validatedBy(
                value -> {
                  if ((Long) value < 1) {
                    throw new IllegalArgumentException("must be at least 1, got " + value);
                  }
                });

    @Test
    void readsAnAllowedValue() {
      assertThat(format.read("ndjson")).isEqualTo("ndjson");
      assertThat(format.allowedValues()).containsExactly("arrayjson", "ndjson");
    }

    @Test
    void refusesAValueNotAllowedNamingTheAllowedOnes() {
      assertThatThrownBy(() -> format.read("xml"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("unknown value \"xml\" (want arrayjson or ndjson)");
    }

    @Test
    void runsTheValidatorOnTheParsedValue() {
      assertThat(peers.read("3")).isEqualTo(3L);
      assertThatThrownBy(() -> peers.read("0"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("must be at least 1, got 0");
    }

    @Test
    void refusesADefaultTheValidatorOrTheAllowedValuesRefuse() {
      assertThatThrownBy(
              () -> TaskOption.of("format", OptionType.STRING, "xml", "x").allowing("json"))
          .hasMessage(
              "default of option \"format\" does not parse: unknown value \"xml\" (want json)");
      assertThatThrownBy(
              () ->
                  TaskOption.of("max-peers", OptionType.INTEGER, "0", "x")
                      .validatedBy(peers.validator()))
          .hasMessage("default of option \"max-peers\" does not parse: must be at least 1, got 0");
    }

    @Test
    void readsAnEmptyRequiredValueAsEmptyForTheConfigToRefuse() {
      TaskOption addr = TaskOption.required("addr", "x").allowing("http://a");

      assertThat(addr.read("")).isEqualTo("");
    }

    @Test
    void anOptionOfVersionZeroOneAcceptsEveryValueItsTypeParses() {
      TaskOption old = new TaskOption("name", OptionType.STRING, "a", "x", false);

      assertThat(old.allowedValues()).isEmpty();
      assertThat(old.read("anything")).isEqualTo("anything");
      assertThat(old).isEqualTo(TaskOption.of("name", OptionType.STRING, "a", "x"));
      assertThat(TaskOption.oneOf(List.of("a", "b", "c"))).isEqualTo("a, b or c");
    }
  }
}
