package io.planetexporter.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.base.Ticker;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskConfig;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The runner's schedule, on a ticker and a queue the test advances: no real time passes. */
class TaskRunnerTest {

  private static final Duration INTERVAL = Duration.ofSeconds(10);

  /** A monotonic ticker the test (and the tasks, to take time) moves forward. */
  private static final class ManualTicker extends Ticker {
    long nanos;

    @Override
    public long read() {
      return nanos;
    }

    void advance(Duration duration) {
      nanos += duration.toNanos();
    }
  }

  /** Runs what is due when the test advances time, on the test's thread. */
  private static final class ManualSchedule implements RunSchedule {
    private record Pending(long dueNanos, Runnable run) {}

    private final ManualTicker ticker;
    private final List<Pending> pending = new ArrayList<>();
    private boolean shutdown;

    ManualSchedule(ManualTicker ticker) {
      this.ticker = ticker;
    }

    @Override
    public void schedule(Runnable run, long delayNanos) {
      if (shutdown) {
        throw new RejectedExecutionException("stopped");
      }
      pending.add(new Pending(ticker.read() + delayNanos, run));
    }

    @Override
    public void shutdownNow() {
      shutdown = true;
      pending.clear();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(Duration grace) {
      return true;
    }

    /** Moves time forward by {@code duration}, running each start as it falls due. */
    void advance(Duration duration) {
      long target = ticker.read() + duration.toNanos();
      while (true) {
        Pending next =
            pending.stream().min(Comparator.comparingLong(Pending::dueNanos)).orElse(null);
        if (next == null || next.dueNanos() > target) {
          break;
        }
        pending.remove(next);
        ticker.nanos = Math.max(ticker.nanos, next.dueNanos());
        next.run().run();
      }
      ticker.nanos = Math.max(ticker.nanos, target);
    }
  }

  private final ManualTicker ticker = new ManualTicker();
  private final ManualSchedule schedule = new ManualSchedule(ticker);
  private final List<Long> starts = new ArrayList<>();

  /** A task whose n-th run (from 1) takes {@code took.apply(n)} on the ticker. */
  private Task taking(IntFunction<Duration> took) {
    AtomicInteger runs = new AtomicInteger();
    return new Task() {
      @Override
      public void run() {
        starts.add(Duration.ofNanos(ticker.read()).toSeconds());
        ticker.advance(took.apply(runs.incrementAndGet()));
      }

      @Override
      public MetricSnapshots snapshot() {
        return MetricSnapshots.of();
      }
    };
  }

  private TaskRunner runner(Task task, Clock clock) {
    return new TaskRunner(
        "t", task, INTERVAL, TaskConfig.DEFAULT_MAX_SERIES, clock, ticker, schedule);
  }

  @Nested
  class Schedule {

    @Test
    void runsAtOnceThenEveryInterval() {
      TaskRunner runner = runner(taking(n -> Duration.ofSeconds(1)), Clock.systemUTC());

      runner.start();
      schedule.advance(Duration.ZERO);
      assertThat(starts).containsExactly(0L);

      schedule.advance(Duration.ofSeconds(9));
      assertThat(starts).containsExactly(0L, 10L);

      schedule.advance(Duration.ofSeconds(30));
      assertThat(starts).containsExactly(0L, 10L, 20L, 30L, 40L);
      assertThat(runner.status().runs()).isEqualTo(5);
    }

    @Test
    void aRunLongerThanTheIntervalDelaysTheNextAndSkipsTheMissedStarts() {
      TaskRunner runner =
          runner(
              taking(n -> n == 1 ? Duration.ofSeconds(25) : Duration.ofSeconds(1)),
              Clock.systemUTC());

      runner.start();
      schedule.advance(Duration.ofSeconds(60));

      // Never two runs at once, 10 and 20 are not caught up, then the interval again.
      assertThat(starts).containsExactly(0L, 25L, 35L, 45L, 55L);
    }

    @Test
    void stopsSchedulingOnceStopped() {
      AtomicInteger closes = new AtomicInteger();
      Task task =
          new Task() {
            @Override
            public void run() {
              starts.add(ticker.read());
            }

            @Override
            public MetricSnapshots snapshot() {
              return MetricSnapshots.of();
            }

            @Override
            public void close() {
              closes.incrementAndGet();
            }
          };
      TaskRunner runner = runner(task, Clock.systemUTC());
      runner.start();
      schedule.advance(Duration.ofSeconds(15));

      runner.stopScheduling();
      runner.awaitAndClose(Duration.ofSeconds(1));
      schedule.advance(Duration.ofMinutes(5));

      assertThat(starts).hasSize(2);
      assertThat(closes).hasValue(1);
    }
  }

  @Nested
  class Durations {

    @Test
    void comeFromTheMonotonicTickerEvenWhenTheWallClockJumpsBack() {
      // A wall clock set back an hour during the run, as NTP or a resumed VM may do.
      Clock jumpingBack =
          new Clock() {
            private Instant now = Instant.parse("2026-01-02T03:04:05Z");

            @Override
            public Instant instant() {
              Instant reading = now;
              now = now.minus(Duration.ofHours(1));
              return reading;
            }

            @Override
            public ZoneId getZone() {
              return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
              return this;
            }
          };
      TaskRunner runner = runner(taking(n -> Duration.ofMillis(2500)), jumpingBack);

      runner.runOnce();

      assertThat(runner.status().lastRunDuration()).isEqualTo(Duration.ofMillis(2500));
      assertThat(runner.status().lastRunEnd()).contains(Instant.parse("2026-01-02T02:04:05Z"));
    }
  }
}
