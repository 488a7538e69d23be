package io.planetexporter.collector;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What is known of one task's runs at a moment.
 *
 * @param name the task's name
 * @param interval how often it runs
 * @param runs runs completed, failed ones included
 * @param failures runs that failed
 * @param lastRunEnd when the last completed run ended
 * @param lastRunDuration how long the last completed run took; zero before the first
 * @param lastSuccess when the last successful run ended
 * @param lastRunSucceeded whether the last completed run succeeded; false before the first
 * @param lastError the cause of the last failed run, empty after a success
 * @param runningSince when the run in progress started, empty when none is
 */
public record TaskStatus(
    String name,
    Duration interval,
    long runs,
    long failures,
    Optional<Instant> lastRunEnd,
    Duration lastRunDuration,
    Optional<Instant> lastSuccess,
    boolean lastRunSucceeded,
    String lastError,
    Optional<Instant> runningSince) {

  public TaskStatus {
    requireNonNull(name, "name");
    requireNonNull(interval, "interval");
    requireNonNull(lastRunEnd, "lastRunEnd");
    requireNonNull(lastRunDuration, "lastRunDuration");
    requireNonNull(lastSuccess, "lastSuccess");
    requireNonNull(lastError, "lastError");
    requireNonNull(runningSince, "runningSince");
  }

  static TaskStatus initial(String name, Duration interval) {
    return new TaskStatus(
        name,
        interval,
        0,
        0,
        Optional.empty(),
        Duration.ZERO,
        Optional.empty(),
        false,
        "",
        Optional.empty());
  }

  TaskStatus started(Instant start) {
    return new TaskStatus(
        name,
        interval,
        runs,
        failures,
        lastRunEnd,
        lastRunDuration,
        lastSuccess,
        lastRunSucceeded,
        lastError,
        Optional.of(start));
  }

  TaskStatus succeeded(Instant end, Duration took) {
    return new TaskStatus(
        name,
        interval,
        runs + 1,
        failures,
        Optional.of(end),
        took,
        Optional.of(end),
        true,
        "",
        Optional.empty());
  }

  TaskStatus failed(Instant end, Duration took, String error) {
    return new TaskStatus(
        name,
        interval,
        runs + 1,
        failures + 1,
        Optional.of(end),
        took,
        lastSuccess,
        false,
        error,
        Optional.empty());
  }

  /** Whether the task has completed its first run, successful or not. */
  public boolean completedFirstRun() {
    return runs > 0;
  }

  /** Whether the run in progress has taken longer than the interval. */
  public boolean overdue(Instant now) {
    return runningSince
        .map(start -> Duration.between(start, now).compareTo(interval) > 0)
        .orElse(false);
  }

  /** Whether the last run succeeded and the current one, if any, is not overdue. */
  public boolean healthy(Instant now) {
    return lastRunSucceeded && !overdue(now);
  }
}
