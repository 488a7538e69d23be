package io.planetexporter.map;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The whole fleet's graph over the default range, kept current in the background: asked of
 * Prometheus once per refresh interval (the rules' evaluation interval, as the recorded series
 * change no more often), so that the page and {@code /api/graph} answer it from memory instead of
 * each request making Prometheus read every edge of the fleet. Its JSON is written once per refresh
 * too: for 15,000 edges that is a few hundred milliseconds on a busy machine, which each request
 * would otherwise spend again. A failed refresh keeps the last good graph, which then says why it
 * is not newer; the failure is logged once, until a refresh succeeds.
 */
final class FleetGraph implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(FleetGraph.class.getName());

  /** A graph served, and its JSON ({@link GraphJson#write}); the array is never changed. */
  record Kept(GraphService.Answer answer, byte[] json) {
    static Kept of(GraphService.Answer answer) {
      return new Kept(answer, GraphJson.write(answer));
    }
  }

  /**
   * The last refresh's outcome: the graph served (null before the first success: the last good one,
   * marked with the failure if the last refresh failed), and that failure.
   */
  private record State(Kept served, PrometheusException failure) {}

  private final GraphService graphs;
  private final Duration range;
  private final Duration wait;
  private final CountDownLatch first = new CountDownLatch(1);
  private final ScheduledExecutorService refresher;
  private volatile State state = new State(null, null);

  /**
   * @param wait how long a request waits for the first refresh before it fails (the query timeout:
   *     the first refresh takes no longer)
   */
  private FleetGraph(GraphService graphs, Duration range, Duration wait) {
    this.graphs = graphs;
    this.range = range;
    this.wait = wait;
    this.refresher =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "fleet-graph");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Refreshes the graph now, then every {@code interval} after the end of the last refresh. */
  static FleetGraph start(GraphService graphs, Duration range, Duration interval, Duration wait) {
    FleetGraph fleet = new FleetGraph(graphs, range, wait);
    // With a fixed delay, a refresh slower than the interval delays the next instead of piling up.
    fleet.refresher.scheduleWithFixedDelay(
        fleet::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return fleet;
  }

  /** The range of the graph kept (the map's default). */
  Duration range() {
    return range;
  }

  /**
   * The last good graph (marked with the last refresh's failure if that failed), waiting for the
   * first refresh when there is none yet.
   *
   * @throws PrometheusException when no refresh has succeeded yet: the last one's failure
   */
  Kept current() throws PrometheusException {
    try {
      if (!first.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new PrometheusException(
            "the fleet's graph is not ready: its first refresh has taken longer than "
                + wait.toSeconds()
                + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PrometheusException("interrupted while waiting for the fleet's graph", e);
    }
    State now = state;
    if (now.served() == null) {
      throw new PrometheusException(now.failure());
    }
    return now.served();
  }

  /** Asks Prometheus for the whole graph; never throws, so the schedule goes on. */
  void refresh() {
    State before = state;
    try {
      state = new State(Kept.of(graphs.whole(range, Instant.now())), null);
      if (before.failure() != null) {
        logger.log(Level.INFO, "the fleet's graph is refreshed again");
      }
    } catch (PrometheusException e) {
      state = new State(failed(before.served(), e), e);
      // Once per run of failures: a Prometheus down for an hour is one line, not sixty.
      if (before.failure() == null) {
        logger.log(
            Level.WARNING,
            before.served() == null
                ? "cannot compute the fleet's graph; trying again at each refresh"
                : "cannot refresh the fleet's graph; serving the last good one until a refresh"
                    + " succeeds",
            e);
      }
    } catch (RuntimeException e) {
      // A bug must not end the schedule (the executor drops a task that throws).
      PrometheusException failure = new PrometheusException("refresh failed: " + e, e);
      state = new State(failed(before.served(), failure), failure);
      logger.log(Level.SEVERE, "the fleet graph's refresh failed", e);
    } finally {
      first.countDown();
    }
  }

  /** The graph served, marked with the refresh's failure; none while there is no good graph. */
  private static Kept failed(Kept served, PrometheusException failure) {
    return served == null ? null : Kept.of(served.answer().refreshFailed(failure.getMessage()));
  }

  @Override
  public void close() {
    refresher.shutdownNow();
  }
}
