package io.planetexporter.server;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code planet_http_aborted_responses_total}: responses the front could not write to the end,
 * because the client went away or read too slowly. Counted rather than logged as warnings: a
 * scraper that gives up is the client's business, and many at once are worth a graph, not a page of
 * stack traces.
 */
final class AbortedResponses implements MultiCollector, Runnable {

  static final String NAME = "planet_http_aborted_responses";

  private final LongAdder count = new LongAdder();

  @Override
  public void run() {
    count.increment();
  }

  @Override
  public MetricSnapshots collect() {
    return MetricSnapshots.of(
        CounterSnapshot.builder()
            .name(NAME)
            .help("Responses not written to the end: the client went away or read too slowly.")
            .dataPoint(CounterDataPointSnapshot.builder().value(count.sum()).build())
            .build());
  }
}
