package io.planetexporter.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes a response body's stream when its deadline passes: the JDK client's request timeout stops
 * at the response headers, so a body that trickles in slowly is cut here, its reader seeing the
 * stream closed. For {@link BoundedFetcher} and planet-map's Prometheus client.
 *
 * <pre>{@code
 * try (StreamDeadline deadline = StreamDeadline.start(body, remainingNanos)) {
 *   parse(body); // fails once the deadline has closed the stream: deadline.expired() says why
 * }
 * }</pre>
 */
public final class StreamDeadline implements AutoCloseable {

  // One daemon thread for every deadline; the tasks it runs only close a stream.
  private static final ScheduledThreadPoolExecutor deadlines = deadlineExecutor();

  private final AtomicBoolean expired;
  private final ScheduledFuture<?> timer;

  private StreamDeadline(AtomicBoolean expired, ScheduledFuture<?> timer) {
    this.expired = expired;
    this.timer = timer;
  }

  /** Closes {@code stream} in {@code nanos} unless {@link #close} comes first. */
  public static StreamDeadline start(InputStream stream, long nanos) {
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> timer =
        deadlines.schedule(
            () -> {
              expired.set(true);
              try {
                stream.close();
              } catch (IOException ignored) {
                // The reader sees the stream closed, which is all the deadline needs.
              }
            },
            Math.max(0, nanos),
            TimeUnit.NANOSECONDS);
    return new StreamDeadline(expired, timer);
  }

  /** Whether the deadline passed and closed the stream. */
  public boolean expired() {
    return expired.get();
  }

  /** Cancels the deadline (the stream was read in time, or has failed otherwise). */
  @Override
  public void close() {
    timer.cancel(false);
  }

  private static ScheduledThreadPoolExecutor deadlineExecutor() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "fetch-deadline");
              thread.setDaemon(true);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
