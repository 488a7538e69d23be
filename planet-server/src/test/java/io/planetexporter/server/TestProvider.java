package io.planetexporter.server;

import io.planetexporter.api.OptionType;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskContext;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code fetch} task of these tests: a required {@code addr}, a {@code timeout}, a {@code
 * max-size}, a {@code mode} of two allowed values and {@code retries} with a validator, run every 5
 * × -task-interval; it serves {@code fetch_up{addr}} after its first run, which waits for {@link
 * #release}.
 */
final class TestProvider implements TaskProvider {

  final CountDownLatch release;

  TestProvider(CountDownLatch release) {
    this.release = release;
  }

  TestProvider() {
    this(new CountDownLatch(0));
  }

  @Override
  public String name() {
    return "fetch";
  }

  @Override
  public String description() {
    return "Fetches things for tests.";
  }

  @Override
  public List<TaskOption> options() {
    return List.of(
        TaskOption.required("addr", "Where to fetch from."),
        TaskOption.of("timeout", OptionType.DURATION, "5s", "How long a fetch may take."),
        TaskOption.of("max-size", OptionType.BYTES, "64MiB", "Largest body accepted."),
        TaskOption.of("mode", OptionType.STRING, "fast", "How to fetch.").allowing("fast", "slow"),
        TaskOption.of("retries", OptionType.INTEGER, "1", "Retries of a failed fetch.")
            .validatedBy(
                value -> {
                  if ((Long) value > 3) {
                    throw new IllegalArgumentException("at most 3, got " + value);
                  }
                }));
  }

  @Override
  public Duration defaultInterval(Duration taskInterval) {
    return taskInterval.multipliedBy(5);
  }

  @Override
  public Task create(TaskContext context) {
    String addr = context.config().string("addr");
    return new Task() {
      private volatile boolean ran;

      @Override
      public void run() throws InterruptedException {
        release.await();
        ran = true;
      }

      @Override
      public MetricSnapshots snapshot() {
        if (!ran) {
          return MetricSnapshots.of();
        }
        return MetricSnapshots.of(
            GaugeSnapshot.builder()
                .name("fetch_up")
                .help("Test gauge.")
                .dataPoint(
                    GaugeDataPointSnapshot.builder()
                        .labels(Labels.of("addr", addr))
                        .value(1)
                        .build())
                .build());
      }
    };
  }
}
