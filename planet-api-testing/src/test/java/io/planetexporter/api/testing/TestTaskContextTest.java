package io.planetexporter.api.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.Host;
import io.planetexporter.api.OptionType;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskContext;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TestTaskContextTest {

  /** Serves {@code greeting{peer}} for the peer the inventory names, at the clock's second. */
  private static final class GreetingProvider implements TaskProvider {
    @Override
    public String name() {
      return "greeting";
    }

    @Override
    public String description() {
      return "Greets.";
    }

    @Override
    public List<TaskOption> options() {
      return List.of(
          TaskOption.of("word", OptionType.STRING, "hello", "x").allowing("hello", "hi"),
          TaskOption.of("timeout", OptionType.DURATION, "5s", "x"));
    }

    @Override
    public Duration defaultInterval(Duration taskInterval) {
      return taskInterval.multipliedBy(2);
    }

    @Override
    public Task create(TaskContext context) {
      return new Task() {
        private volatile MetricSnapshots latest = MetricSnapshots.of();

        @Override
        public void run() throws Exception {
          String peer =
              context
                  .inventory()
                  .lookup(InetAddress.getByName("198.18.0.2"))
                  .map(Host::domain)
                  .orElse("?");
          latest =
              MetricSnapshots.of(
                  GaugeSnapshot.builder()
                      .name("greeting")
                      .help(context.config().string("word"))
                      .dataPoint(
                          GaugeDataPointSnapshot.builder()
                              .labels(Labels.of("peer", peer, "host", context.host().hostname()))
                              .value(context.clock().instant().getEpochSecond())
                              .build())
                      .build());
        }

        @Override
        public MetricSnapshots snapshot() {
          return latest;
        }

        @Override
        public Set<String> metricNames() {
          return Set.of("greeting");
        }
      };
    }
  }

  @Nested
  class Options {

    @Test
    void readsTheTextsAsTheServerDoesOverTheDefaults() throws ConfigurationException {
      TestTaskContext context =
          TestTaskContext.of(new GreetingProvider(), Map.of("timeout", "1m30s"));

      assertThat(context.config().string("word")).isEqualTo("hello");
      assertThat(context.config().duration("timeout")).isEqualTo(Duration.ofSeconds(90));
      assertThat(context.config().interval()).isEqualTo(Duration.ofSeconds(14));
      assertThat(context.taskName()).isEqualTo("greeting");
    }

    @Test
    void refusesWhatTheServerRefusesTiedToTheOption() {
      assertThatThrownBy(() -> TestTaskContext.of(new GreetingProvider(), Map.of("word", "hey")))
          .isInstanceOfSatisfying(
              ConfigurationException.class, e -> assertThat(e.option()).contains("word"))
          .hasMessage("word: unknown value \"hey\" (want hello or hi)");
    }

    @Test
    void refusesAnOptionTheProviderLacks() {
      assertThatThrownBy(() -> TestTaskContext.of(new GreetingProvider(), Map.of("wrd", "hi")))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class RunAndRender {

    @Test
    void servesWhatTheInventoryHostAndClockSetSay() throws Exception {
      TestTaskContext context =
          TestTaskContext.of(new GreetingProvider(), Map.of("word", "hi"))
              .host(TestTaskContext.host("web1", "198.18.0.1", "fd00::1"))
              .clock(Clock.fixed(Instant.ofEpochSecond(42), ZoneOffset.UTC));
      Task task = context.create();

      assertThat(TaskRun.runAndRender(task))
          .isEqualTo(
              """
              # HELP greeting hi
              # TYPE greeting gauge
              greeting{host="web1",peer="?"} 42.0
              """);

      context.inventory(TestInventory.of(Map.of("198.18.0.2", new Host("db1.example", "db"))));
      context.clock(Clock.fixed(Instant.ofEpochSecond(43), ZoneOffset.UTC));

      assertThat(TaskRun.runAndRender(task))
          .contains("greeting{host=\"web1\",peer=\"db1.example\"} 43.0");
      assertThat(context.host().addresses()).hasSize(2);
    }

    @Test
    void failsATestWhoseTaskServesAFamilyItDidNotDeclare() throws Exception {
      Task task =
          new Task() {
            @Override
            public void run() {}

            @Override
            public MetricSnapshots snapshot() {
              return MetricSnapshots.of(
                  GaugeSnapshot.builder()
                      .name("other")
                      .dataPoint(GaugeDataPointSnapshot.builder().value(1).build())
                      .build());
            }

            @Override
            public Set<String> metricNames() {
              return Set.of("greeting");
            }
          };

      assertThatThrownBy(() -> TaskRun.runAndRender(task))
          .isInstanceOf(AssertionError.class)
          .hasMessage("the task serves other but declares only [greeting] in metricNames()");
    }
  }

  @Nested
  class Inventory {

    @Test
    void answersItsAddressesAndLoopback() throws Exception {
      TestInventory inventory = TestInventory.of(Map.of("fd00::2", new Host("v6.example", "v6")));

      assertThat(inventory.lookup(InetAddress.getByName("fd00:0::2")))
          .contains(new Host("v6.example", "v6"));
      assertThat(inventory.lookup(InetAddress.getByName("127.0.0.1"))).contains(Host.LOCALHOST);
      assertThat(inventory.lookup(InetAddress.getByName("198.18.0.9"))).isEmpty();
      assertThat(inventory.size()).isEqualTo(1);
    }

    @Test
    void refusesAHostNameSoThatNoDnsQueryIsMade() {
      assertThatThrownBy(() -> TestInventory.of(Map.of("db1.example", new Host("", "db"))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not an IP literal");
    }
  }
}
