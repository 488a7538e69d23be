package io.planetexporter.map;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** The part of Prometheus's HTTP API the map uses; a seam, so tests can answer for it. */
interface Prometheus {

  /**
   * An instant query at the current time.
   *
   * @param timeout how long Prometheus and the wait for its answer may take
   * @return the vector's series; the future fails with a {@link PrometheusException}
   */
  CompletableFuture<List<Sample>> query(String promql, Duration timeout);

  /**
   * The metric names of the series that match {@code selector} within the last {@code lookback}.
   */
  CompletableFuture<Set<String>> names(String selector, Duration lookback, Duration timeout);
}
