package io.planetexporter.collector;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where a {@link TaskRunner} runs its task: a thread of its own in the program; a queue the test
 * advances by hand in {@code TaskRunnerTest}, so that scheduling is tested without real time.
 */
interface RunSchedule {

  /**
   * Runs {@code run} once after {@code delayNanos}.
   *
   * @throws RejectedExecutionException once stopped
   */
  void schedule(Runnable run, long delayNanos);

  /** Stops: nothing more runs, a run in progress is interrupted. */
  void shutdownNow();

  boolean isShutdown();

  /** Waits up to {@code grace} for a run in progress to end; whether none is left. */
  boolean awaitTermination(Duration grace) throws InterruptedException;

  /** A daemon thread named {@code task-<name>}. */
  static RunSchedule ownThread(String taskName) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "task-" + taskName);
              thread.setDaemon(true);
              return thread;
            });
    return new RunSchedule() {
      @Override
      public void schedule(Runnable run, long delayNanos) {
        executor.schedule(run, delayNanos, TimeUnit.NANOSECONDS);
      }

      @Override
      public void shutdownNow() {
        executor.shutdownNow();
      }

      @Override
      public boolean isShutdown() {
        return executor.isShutdown();
      }

      @Override
      public boolean awaitTermination(Duration grace) throws InterruptedException {
        return executor.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS);
      }
    };
  }
}
