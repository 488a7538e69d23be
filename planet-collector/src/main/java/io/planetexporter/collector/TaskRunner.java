package io.planetexporter.collector;

import io.planetexporter.api.Task;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one task on its own thread every interval, the first time at once. A run that takes longer
 * than the interval delays the next one (runs never overlap) and missed starts are skipped, not
 * caught up.
 */
final class TaskRunner {

  private static final Logger logger = Logger.getLogger(TaskRunner.class.getName());

  private final String name;
  private final Task task;
  private final long intervalNanos;
  private final int maxSeries;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final AtomicReference<TaskStatus> status;
  private final AtomicBoolean snapshotFailing = new AtomicBoolean();
  private long nextStartNanos;
  // The cause of the current streak of failures; only touched on the task's thread.
  private String failingWith = "";

  TaskRunner(String name, Task task, Duration interval, int maxSeries, Clock clock) {
    this.name = name;
    this.task = task;
    this.intervalNanos = interval.toNanos();
    this.maxSeries = maxSeries;
    this.clock = clock;
    this.status = new AtomicReference<>(TaskStatus.initial(name, interval));
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "task-" + name);
              thread.setDaemon(true);
              return thread;
            });
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
    nextStartNanos = System.nanoTime();
    executor.execute(this::runAndReschedule);
  }

  private void runAndReschedule() {
    runOnce();
    long now = System.nanoTime();
    nextStartNanos += intervalNanos;
    if (nextStartNanos - now < 0) {
      nextStartNanos = now;
    }
    try {
      executor.schedule(this::runAndReschedule, nextStartNanos - now, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException ignored) {
      // stopping
    }
  }

  void runOnce() {
    Instant start = clock.instant();
    status.updateAndGet(s -> s.started(start));
    Throwable failure = null;
    try {
      task.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = e;
    } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
      failure = e;
    }
    Instant end = clock.instant();
    Duration took = Duration.between(start, end);
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
    if (executor.isShutdown()) {
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
    executor.shutdownNow();
  }

  /** Waits up to the grace period for the run in progress to end, then closes the task. */
  void awaitAndClose(Duration grace) {
    try {
      if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
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
