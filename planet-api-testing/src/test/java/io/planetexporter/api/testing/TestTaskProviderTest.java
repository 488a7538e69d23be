package io.planetexporter.api.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.OptionType;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskOption;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestTaskProviderTest {

  private static final Task IDLE =
      new Task() {
        @Override
        public void run() {}

        @Override
        public MetricSnapshots snapshot() {
          return MetricSnapshots.of();
        }
      };

  @Test
  void answersWhatTheTestSetAndDefaultsTheRest() {
    TestTaskProvider plain = TestTaskProvider.of("plain", context -> IDLE);
    TestTaskProvider fetch =
        TestTaskProvider.of("fetch", context -> IDLE)
            .description("Fetches.")
            .options(List.of(TaskOption.required("addr", "Where.")))
            .defaultInterval(interval -> interval.multipliedBy(5));

    assertThat(plain.description()).isEqualTo("Test task plain.");
    assertThat(plain.options()).isEmpty();
    assertThat(plain.defaultInterval(Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
    assertThat(fetch.description()).isEqualTo("Fetches.");
    assertThat(fetch.options()).extracting(TaskOption::name).containsExactly("addr");
    assertThat(fetch.defaultInterval(Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(35));
  }

  @Test
  void keepsTheContextOfItsLatestTask() throws ConfigurationException {
    TestTaskProvider provider =
        TestTaskProvider.of("greeting", context -> IDLE)
            .options(List.of(TaskOption.of("name", OptionType.STRING, "world", "Whom.")));

    assertThatThrownBy(provider::context).hasMessage("no task greeting created yet");
    Task task = TestTaskContext.of(provider, Map.of("name", "moon")).create();

    assertThat(task).isSameAs(IDLE);
    assertThat(provider.context().taskName()).isEqualTo("greeting");
    assertThat(provider.context().config().string("name")).isEqualTo("moon");
  }

  @Test
  void computesItsOptionsAtEachCallSoThatATestCanMakeThemThrow() {
    TestTaskProvider broken =
        TestTaskProvider.of("broken", context -> IDLE)
            .options(() -> List.of(TaskOption.of("Bad_Option", OptionType.STRING, "", "x")));

    assertThatThrownBy(broken::options).isInstanceOf(IllegalArgumentException.class);
  }
}
