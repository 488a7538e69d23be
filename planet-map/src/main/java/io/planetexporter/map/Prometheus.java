package io.planetexporter.map;

import io.planetexporter.map.PrometheusJson.Series;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** The part of Prometheus's HTTP API the map uses; a seam, so tests can answer for it. */
interface Prometheus {

  /**
   * An instant query.
   *
   * @param time the query's evaluation time
   * @param timeout how long Prometheus and the wait for its answer may take
   * @param budget the request's series, each series of the answer taken from it
   * @return the vector's series; the future fails with a {@link PrometheusException}
   */
  CompletableFuture<List<QuerySeries>> query(
      String promql, Instant time, Duration timeout, SeriesBudget budget);

  /**
   * A range query: the series' points from {@code start} to {@code end}, {@code step} apart.
   *
   * @return the matrix's series; the future fails with a {@link PrometheusException}
   */
  CompletableFuture<List<Series>> queryRange(
      String promql,
      Instant start,
      Instant end,
      Duration step,
      Duration timeout,
      SeriesBudget budget);

  /**
   * The metric names of the series that match {@code selector} within the {@code lookback} before
   * {@code end}.
   */
  CompletableFuture<Set<String>> names(
      String selector, Instant end, Duration lookback, Duration timeout);
}
