package io.planetexporter.map;

import io.planetexporter.api.GoDuration;
import io.planetexporter.map.Graph.Edge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks Prometheus for the map. Every request has one deadline, the query timeout: the queries of a
 * step run in parallel, and whatever is unanswered when it passes fails the whole request.
 */
final class GraphService {

  /** The graph and which kinds came from recorded series (the others from raw series). */
  record Answer(Graph graph, Set<Kind> recorded) {
    Answer {
      recorded = Set.copyOf(recorded);
    }
  }

  private static final Set<Kind> DEPENDENCIES = EnumSet.of(Kind.UPSTREAM, Kind.DOWNSTREAM);

  private final Prometheus prometheus;
  private final Duration timeout;

  GraphService(Prometheus prometheus, Duration timeout) {
    this.prometheus = prometheus;
    this.timeout = timeout;
  }

  /** The whole fleet's map over the last {@code range}. */
  Answer whole(Duration range) throws PrometheusException {
    Deadline deadline = new Deadline();
    Set<Kind> recorded = recordedKinds(range, deadline);
    Map<Kind, List<Sample>> answers = new EnumMap<>(Kind.class);
    fetch(EnumSet.allOf(Kind.class), recorded, range, NodeFilter.ALL, answers, deadline);
    return new Answer(GraphBuilder.build(answers), recorded);
  }

  /**
   * The neighbourhood of {@code center} ({@link Neighbourhood}), asking Prometheus only for the
   * series around it: one step of dependency queries per level of depth, then the bytes and hosts
   * of the nodes found.
   *
   * @return empty when {@code center} is no node of the map over that range
   */
  Optional<Answer> around(Duration range, String center, int depth) throws PrometheusException {
    Deadline deadline = new Deadline();
    Set<Kind> recorded = recordedKinds(range, deadline);
    Map<Kind, List<Sample>> answers = new EnumMap<>(Kind.class);
    Set<String> downward = new HashSet<>(Set.of(center));
    Set<String> upward = new HashSet<>(Set.of(center));
    Set<String> down = Set.of(center);
    Set<String> up = Set.of(center);
    for (int step = 0; step < depth && !(down.isEmpty() && up.isEmpty()); step++) {
      Set<String> frontier = new HashSet<>(down);
      frontier.addAll(up);
      fetch(DEPENDENCIES, recorded, range, NodeFilter.anyOf(frontier), answers, deadline);
      List<Edge> edges = GraphBuilder.build(answers).edges();
      down = next(edges, down, downward, true);
      up = next(edges, up, upward, false);
    }
    Set<String> nodes = new HashSet<>(downward);
    nodes.addAll(upward);
    fetch(
        EnumSet.complementOf(EnumSet.copyOf(DEPENDENCIES)),
        recorded,
        range,
        NodeFilter.anyOf(nodes),
        answers,
        deadline);
    Graph graph = GraphBuilder.build(answers);
    if (graph.node(center).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Answer(Neighbourhood.of(graph, center, depth), recorded));
  }

  /** The ends of {@code edges} one step from {@code frontier} not seen before, now seen. */
  private static Set<String> next(
      List<Edge> edges, Set<String> frontier, Set<String> seen, boolean downward) {
    Set<String> next = new HashSet<>();
    for (Edge edge : edges) {
      String from = downward ? edge.source() : edge.target();
      String to = downward ? edge.target() : edge.source();
      if (frontier.contains(from) && seen.add(to)) {
        next.add(to);
      }
    }
    return next;
  }

  private Set<Kind> recordedKinds(Duration range, Deadline deadline) throws PrometheusException {
    Set<String> names =
        deadline.await(
            prometheus.names("{__name__=~\"hostgroup:planet_.+\"}", range, deadline.remaining()));
    Set<Kind> recorded = EnumSet.noneOf(Kind.class);
    for (Kind kind : Kind.values()) {
      if (names.contains(kind.recordedName())) {
        recorded.add(kind);
      }
    }
    return recorded;
  }

  private void fetch(
      Set<Kind> kinds,
      Set<Kind> recorded,
      Duration range,
      NodeFilter filter,
      Map<Kind, List<Sample>> answers,
      Deadline deadline)
      throws PrometheusException {
    String window = range.toSeconds() + "s";
    Map<Kind, CompletableFuture<List<Sample>>> pending = new EnumMap<>(Kind.class);
    for (Kind kind : kinds) {
      String promql =
          recorded.contains(kind) ? kind.recorded(window, filter) : kind.raw(window, filter);
      pending.put(kind, prometheus.query(promql, deadline.remaining()));
    }
    try {
      for (Map.Entry<Kind, CompletableFuture<List<Sample>>> entry : pending.entrySet()) {
        answers
            .computeIfAbsent(entry.getKey(), k -> new ArrayList<>())
            .addAll(deadline.await(entry.getValue()));
      }
    } finally {
      pending.values().forEach(future -> future.cancel(true));
    }
  }

  /** The end of the request's time. */
  private final class Deadline {
    private final long end = System.nanoTime() + timeout.toNanos();

    Duration remaining() {
      return Duration.ofNanos(Math.max(1, end - System.nanoTime()));
    }

    <T> T await(CompletableFuture<T> future) throws PrometheusException {
      try {
        return future.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        throw new PrometheusException(
            "Prometheus did not answer within the query timeout of " + GoDuration.format(timeout),
            e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof PrometheusException cause) {
          throw new PrometheusException(cause.getMessage(), cause);
        }
        throw new PrometheusException("asking Prometheus failed: " + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PrometheusException("interrupted while waiting for Prometheus", e);
      }
    }
  }
}
