package io.planetexporter.collector;

import static io.planetexporter.collector.TestSpecs.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.HostIdentity;
import io.planetexporter.api.Task;
import io.planetexporter.api.testing.TestTaskProvider;
import io.planetexporter.net.IpAddress;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What the crew checks when it creates the tasks, before anything runs or is scraped. */
class CrewContractTest {

  private static final HostIdentity HOST =
      new HostIdentity(
          "testhost", IpAddress.parse("127.0.0.1"), Set.of(IpAddress.parse("127.0.0.1")));

  private final List<Crew> crews = new ArrayList<>();

  @AfterEach
  void closeCrews() {
    crews.forEach(Crew::close);
  }

  private Crew create(TaskSpec... specs) throws ConfigurationException {
    Crew crew = Crew.create(List.of(specs), HOST, Clock.systemUTC());
    crews.add(crew);
    return crew;
  }

  /** A task that serves a gauge of each name in {@code served} and declares {@code declared}. */
  private static class DeclaringTask implements Task {
    private final Set<String> declared;
    private final List<String> served;
    final AtomicInteger closes = new AtomicInteger();

    DeclaringTask(Set<String> declared, String... served) {
      this.declared = declared;
      this.served = List.of(served);
    }

    @Override
    public void run() {}

    @Override
    public MetricSnapshots snapshot() {
      List<MetricSnapshot> families = new ArrayList<>();
      for (String name : served) {
        families.add(
            GaugeSnapshot.builder()
                .name(name)
                .dataPoint(GaugeDataPointSnapshot.builder().value(1).build())
                .build());
      }
      return new MetricSnapshots(families);
    }

    @Override
    public Set<String> metricNames() {
      return declared;
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  @Nested
  class MetricNames {

    @Test
    void refusesTwoTasksDeclaringTheSameNameNamingBothAndClosingBoth() {
      DeclaringTask first = new DeclaringTask(Set.of("shared_metric", "a_metric"));
      DeclaringTask second = new DeclaringTask(Set.of("shared_metric"));

      assertThatThrownBy(
              () ->
                  create(
                      spec(TestTaskProvider.of("alpha", context -> first)),
                      spec(TestTaskProvider.of("beta", context -> second))))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "tasks alpha and beta would both serve shared_metric; enable only one of them");
      assertThat(first.closes).hasValue(1);
      assertThat(second.closes).hasValue(1);
    }

    @Test
    void refusesATaskDeclaringANameTheExporterServesItself() {
      assertThatThrownBy(
              () ->
                  create(
                      spec(
                          TestTaskProvider.of(
                              "alpha", context -> new DeclaringTask(Set.of("planet_hostname"))))))
          .hasMessage("task alpha would serve planet_hostname, which the exporter serves itself");
    }

    @Test
    void registersEveryDeclaredNameWithClientJavasRegistry() throws ConfigurationException {
      Crew crew =
          create(
              spec(
                  TestTaskProvider.of(
                      "alpha", context -> new DeclaringTask(Set.of("alpha_metric")))),
              spec(TestTaskProvider.of("beta", context -> new DeclaringTask(Set.of()))));
      PrometheusRegistry registry = new PrometheusRegistry();
      registry.register(crew.collector(MetricSnapshots.of()));

      assertThatThrownBy(() -> Gauge.builder().name("alpha_metric").register(registry))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("alpha_metric");
      assertThatThrownBy(() -> Counter.builder().name("planet_hostname").register(registry))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("planet_hostname");
      Gauge.builder().name("unclaimed_metric").register(registry);
    }

    @Test
    void leavesOutOfTheScrapeATaskServingANameItDidNotDeclare() throws Exception {
      Crew crew =
          create(
              spec(
                  TestTaskProvider.of(
                      "alpha",
                      context -> new DeclaringTask(Set.of("alpha_metric"), "other_metric"))),
              spec(
                  TestTaskProvider.of(
                      "beta", context -> new DeclaringTask(Set.of("beta_metric"), "beta_metric"))));
      crew.start();

      MetricSnapshots scrape = crew.collector(MetricSnapshots.of()).collect();

      assertThat(scrape.stream().map(f -> f.getMetadata().getPrometheusName()))
          .contains("beta_metric")
          .doesNotContain("other_metric");
    }

    @Test
    void refusesATaskWhoseNamesCannotBeListed() {
      Task broken =
          new DeclaringTask(Set.of()) {
            @Override
            public Set<String> metricNames() {
              throw new IllegalStateException("not yet");
            }
          };

      assertThatThrownBy(() -> create(spec(TestTaskProvider.of("alpha", context -> broken))))
          .hasMessage("task alpha: cannot list its metric names: not yet");
    }
  }

  @Nested
  class ProviderErrors {

    @Test
    void nameWhereTheRefusedValueCameFrom() {
      TestTaskProvider refusing =
          TestTaskProvider.of(
              "alpha",
              context -> {
                throw ConfigurationException.forOption("mode", "unknown mode \"x\"");
              });
      TaskSpec spec =
          new TaskSpec(
              refusing,
              spec(refusing).config(),
              new OptionOrigins("alpha", Map.of("mode", "PLANET_TASK_ALPHA_MODE")));

      assertThatThrownBy(() -> create(spec))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("PLANET_TASK_ALPHA_MODE: unknown mode \"x\"");
      assertThatThrownBy(() -> create(spec(refusing)))
          .hasMessage("-task-alpha-mode: unknown mode \"x\"");
    }

    @Test
    void passAnErrorTiedToNoOptionAsItIs() {
      TestTaskProvider refusing =
          TestTaskProvider.of(
              "alpha",
              context -> {
                throw new ConfigurationException("alpha needs a kernel with BPF");
              });

      assertThatThrownBy(() -> create(spec(refusing))).hasMessage("alpha needs a kernel with BPF");
    }
  }
}
