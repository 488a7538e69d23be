package io.planetexporter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TaskConfigTest {

  private final TaskConfig config =
      TaskConfig.of(
          Map.of(
              "addr",
              "http://127.0.0.1:1/",
              "enabled-thing",
              true,
              "count",
              3L,
              "timeout",
              Duration.ofSeconds(5)),
          Duration.ofSeconds(7));

  @Test
  void givesEachValueAsItsType() {
    assertThat(config.string("addr")).isEqualTo("http://127.0.0.1:1/");
    assertThat(config.bool("enabled-thing")).isTrue();
    assertThat(config.integer("count")).isEqualTo(3L);
    assertThat(config.bytes("count")).isEqualTo(3L);
    assertThat(config.duration("timeout")).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.interval()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void refusesAnUndeclaredOption() {
    assertThatThrownBy(() -> config.string("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no option \"nope\" in ");
  }

  @Test
  void refusesTheWrongType() {
    assertThatThrownBy(() -> config.duration("addr"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option \"addr\" is a String, not a Duration");
  }

  @Test
  void refusesAnIntervalThatIsNotPositive() {
    assertThatThrownBy(() -> TaskConfig.of(Map.of(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TaskConfig.of(Map.of(), Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keepsItsValuesWhenTheGivenMapChanges() {
    Map<String, Object> values = new HashMap<>();
    values.put("addr", "a");
    TaskConfig copy = TaskConfig.of(values, Duration.ofSeconds(1));

    values.put("addr", "b");

    assertThat(copy.string("addr")).isEqualTo("a");
  }

  @Test
  void showsValuesAndIntervalInGoSyntax() {
    assertThat(TaskConfig.of(Map.of("a", "b"), Duration.ofSeconds(175)).toString())
        .isEqualTo("TaskConfig{a=b} interval=2m55s max-series=10000");
  }

  @Test
  void hasTheDefaultSeriesBudgetUnlessGivenOne() {
    assertThat(config.maxSeries()).isEqualTo(10_000);
    assertThat(TaskConfig.of(Map.of(), Duration.ofSeconds(1), 25).maxSeries()).isEqualTo(25);
  }

  @Test
  void refusesASeriesBudgetThatIsNotPositive() {
    assertThatThrownBy(() -> TaskConfig.of(Map.of(), Duration.ofSeconds(1), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxSeries must be positive, got 0");
  }

  @Nested
  class ParsedFromTexts {

    private final List<TaskOption> options =
        List.of(
            TaskOption.required("addr", "Where."),
            TaskOption.of("format", OptionType.STRING, "arrayjson", "x")
                .allowing("arrayjson", "ndjson"),
            TaskOption.of("timeout", OptionType.DURATION, "5s", "x"),
            TaskOption.of("max-size", OptionType.BYTES, "64MiB", "x"));

    @Test
    void readsTheGivenTextsAndTheDefaultsOfTheRest() throws ConfigurationException {
      TaskConfig parsed =
          TaskConfig.parse(
              options, Map.of("addr", "file:/inv", "timeout", "1m30s"), Duration.ofSeconds(7));

      assertThat(parsed.string("addr")).isEqualTo("file:/inv");
      assertThat(parsed.string("format")).isEqualTo("arrayjson");
      assertThat(parsed.duration("timeout")).isEqualTo(Duration.ofSeconds(90));
      assertThat(parsed.bytes("max-size")).isEqualTo(64L << 20);
    }

    @Test
    void refusesAMissingRequiredValueTiedToItsOption() {
      assertThatThrownBy(() -> TaskConfig.parse(options, Map.of(), Duration.ofSeconds(7)))
          .isInstanceOfSatisfying(
              ConfigurationException.class,
              e -> {
                assertThat(e.option()).contains("addr");
                assertThat(e.detail()).isEqualTo("required when the task is enabled");
                assertThat(e).hasMessage("addr: required when the task is enabled");
              });
    }

    @Test
    void refusesATextThatDoesNotParseOrIsNotAllowed() {
      assertThatThrownBy(
              () ->
                  TaskConfig.parse(
                      options, Map.of("addr", "a", "timeout", "5"), Duration.ofSeconds(7)))
          .hasMessage("timeout: invalid duration \"5\" (want e.g. 7s, 1m30s, 500ms)");
      assertThatThrownBy(
              () ->
                  TaskConfig.parse(
                      options, Map.of("addr", "a", "format", "xml"), Duration.ofSeconds(7)))
          .hasMessage("format: unknown value \"xml\" (want arrayjson or ndjson)");
    }

    @Test
    void refusesATextForAnOptionNotDeclared() {
      assertThatThrownBy(() -> TaskConfig.parse(options, Map.of("adr", "a"), Duration.ofSeconds(7)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[adr]");
    }
  }
}
