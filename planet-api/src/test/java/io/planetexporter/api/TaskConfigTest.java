package io.planetexporter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
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
}
