package io.planetexporter.map;

import java.time.Instant;
import java.util.List;

/**
 * The diff of the map between two times: the graph the filters select over the range ending at
 * each, asked of Prometheus one after the other (each with its own query timeout).
 */
final class DiffService {

  private final GraphService graphs;

  DiffService(GraphService graphs) {
    this.graphs = graphs;
  }

  GraphDiff diff(DiffRequest request) throws PrometheusException {
    return GraphDiff.of(
        graph(request.filters(), request.from()), graph(request.filters(), request.to()));
  }

  /** The graph at {@code end}; a hostgroup that is no node then has an empty one. */
  private Graph graph(Request filters, Instant end) throws PrometheusException {
    if (filters.hostgroup().isEmpty()) {
      return graphs.whole(filters.range(), end).graph();
    }
    return graphs
        .around(filters.range(), end, filters.hostgroup().get(), filters.depth())
        .map(GraphService.Answer::graph)
        .orElseGet(() -> new Graph(List.of(), List.of()));
  }
}
