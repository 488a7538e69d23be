package io.planetexporter.collector;

import com.google.common.base.Ticker;
import io.planetexporter.api.Task;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one task on its own thread every interval, the first time at once. A run that takes longer
 * than the interval delays the next one (runs never overlap) and missed starts are skipped, not
 * caught up. Starts and run durations are measured on a monotonic ticker, so a wall clock that
 * jumps (NTP, a VM resumed) neither bunches runs up nor reports a negative duration; the wall clock
 * only dates the runs.
 */
final class TaskRunner {

  private static final Logger logger = Logger.getLogger(TaskRunner.class.getName());

  private final String name;
  private final Task task;
  private final long intervalNanos;
  private final int maxSeries;
  private final Clock clock;
  private final Ticker ticker;
  private final RunSchedule schedule;
  private final AtomicReference<TaskStatus> status;
  private final AtomicBoolean snapshotFailing = new AtomicBoolean();
  private long nextStartNanos;
  private volatile Runnable afterFirstRun = () -> {};
  private boolean ranOnce;
  // The cause of the current streak of failures; only touched on the task's thread.
  private String failingWith = "";

  TaskRunner(String name, Task task, Duration interval, int maxSeries, Clock clock) {
    this(
        name, task, interval, maxSeries, clock, Ticker.systemTicker(), RunSchedule.ownThread(name));
  }

  TaskRunner(
      String name,
      Task task,
      Duration interval,
      int maxSeries,
      Clock clock,
      Ticker ticker,
      RunSchedule schedule) {
    this.name = name;
    this.task = task;
    this.intervalNanos = interval.toNanos();
    this.maxSeries = maxSeries;
    this.clock = clock;
    this.ticker = ticker;
    this.schedule = schedule;
    this.status = new AtomicReference<>(TaskStatus.initial(name, interval));
  }

  String name() {
    return name;
  }

  Task task() {
    return task;
  }

  /** The most series of the task served in a scrape. */
  int maxSeries() {
    return maxSeries;
  }

  TaskStatus status() {
    return status.get();
  }

  /** Whether snapshot() failed on the previous scrape; for logging transitions only once. */
  AtomicBoolean snapshotFailing() {
    return snapshotFailing;
  }

  void start() {
    nextStartNanos = ticker.read();
    schedule.schedule(this::runAndReschedule, 0);
  }

  /** Runs {@code action} on the task's thread once its first run has ended (set before start). */
  void afterFirstRun(Runnable action) {
    afterFirstRun = action;
  }

  private void runAndReschedule() {
    try {
      runOnce();
      if (!ranOnce) {
        ranOnce = true;
        afterFirstRun.run();
      }
    } finally {
      reschedule();
    }
  }

  private void reschedule() {
    long now = ticker.read();
    nextStartNanos += intervalNanos;
    if (nextStartNanos - now < 0) {
      nextStartNanos = now;
    }
    try {
      schedule.schedule(this::runAndReschedule, nextStartNanos - now);
    } catch (RejectedExecutionException ignored) {
      // stopping
    }
  }

  void runOnce() {
    Instant start = clock.instant();
    long startNanos = ticker.read();
    status.updateAndGet(s -> s.started(start));
    Throwable failure = null;
    try {
      task.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = e;
    } catch (Throwable e) {
      // Any Error too: one that escaped here ended the task's schedule without a word.
      failure = e;
    }
    Instant end = clock.instant();
    Duration took = Duration.ofNanos(ticker.read() - startNanos);
    if (failure == null) {
      status.updateAndGet(s -> s.succeeded(end, took));
      if (!failingWith.isEmpty()) {
        logger.log(Level.INFO, "task recovered", new Object[] {"task", name});
        failingWith = "";
      }
      return;
    }
    String cause = describe(failure);
    status.updateAndGet(s -> s.failed(end, took, cause));
    if (schedule.isShutdown()) {
      return;
    }
    if (cause.equals(failingWith)) {
      logger.log(Level.FINE, "task failed again", new Object[] {"task", name, "err", cause});
    } else {
      LogRecords.log(logger, Level.WARNING, "task failed", failure, "task", name);
    }
    failingWith = cause;
  }

  /** The exception and its causes, on one line. */
  static String describe(Throwable failure) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (text.length() > 0) {
        text.append(": ");
      }
      String message = t.getMessage();
      text.append(message == null || message.isEmpty() ? t.getClass().getName() : message);
      if (text.length() > 1000) {
        break;
      }
    }
    return text.toString();
  }

  /** Stops scheduling and interrupts a run in progress; returns at once. */
  void stopScheduling() {
    schedule.shutdownNow();
  }

  /** Waits up to the grace period for the run in progress to end, then closes the task. */
  void awaitAndClose(Duration grace) {
    try {
      if (!schedule.awaitTermination(grace)) {
        logger.log(
            Level.WARNING,
            "task did not stop in time, closing it anyway",
            new Object[] {"task", name});
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      task.close();
    } catch (RuntimeException e) {
      LogRecords.log(logger, Level.WARNING, "closing task failed", e, "task", name);
    }
  }
}
