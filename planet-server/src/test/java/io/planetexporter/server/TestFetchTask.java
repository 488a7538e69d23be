package io.planetexporter.server;

import io.planetexporter.api.OptionType;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.testing.TestTaskProvider;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code fetch} task of these tests: a required {@code addr}, a {@code timeout}, a {@code
 * max-size}, a {@code mode} of two allowed values and {@code retries} with a validator, run every 5
 * × -task-interval; it serves {@code fetch_up{addr}} after its first run, which waits for the
 * latch.
 */
final class TestFetchTask implements Task {

  private final CountDownLatch release;
  private final String addr;
  private volatile boolean ran;

  private TestFetchTask(CountDownLatch release, String addr) {
    this.release = release;
    this.addr = addr;
  }

  /** The provider of the task, whose first run waits for {@code release}. */
  static TestTaskProvider provider(CountDownLatch release) {
    return TestTaskProvider.of(
            "fetch", context -> new TestFetchTask(release, context.config().string("addr")))
        .description("Fetches things for tests.")
        .options(
            List.of(
                TaskOption.required("addr", "Where to fetch from."),
                TaskOption.of("timeout", OptionType.DURATION, "5s", "How long a fetch may take."),
                TaskOption.of("max-size", OptionType.BYTES, "64MiB", "Largest body accepted."),
                TaskOption.of("mode", OptionType.STRING, "fast", "How to fetch.")
                    .allowing("fast", "slow"),
                TaskOption.of("retries", OptionType.INTEGER, "1", "Retries of a failed fetch.")
                    .validatedBy(
                        value -> {
                          if ((Long) value > 3) {
                            throw new IllegalArgumentException("at most 3, got " + value);
                          }
                        })))
        .defaultInterval(taskInterval -> taskInterval.multipliedBy(5));
  }

  /** The provider of the task, whose first run does not wait. */
  static TestTaskProvider provider() {
    return provider(new CountDownLatch(0));
  }

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
                GaugeDataPointSnapshot.builder().labels(Labels.of("addr", addr)).value(1).build())
            .build());
  }
}
