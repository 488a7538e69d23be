package io.planetexporter.map;

import io.planetexporter.api.GoDuration;
import io.planetexporter.map.Graph.Edge;
import io.planetexporter.map.PrometheusJson.Series;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * Asks Prometheus for the map. Every request has one deadline, the query timeout: the queries of a
 * step run in parallel, and whatever is unanswered when it passes fails the whole request.
 *
 * <p>(Longer than most classes here: the whole graph, a neighbourhood and an edge's history share
 * that deadline and the choice between recorded and raw series, which would otherwise be passed
 * between three classes.)
 */
final class GraphService {

  /**
   * The graph, which kinds came from recorded series (the others from raw series), where the time
   * went: waiting for Prometheus's answers (their reading included), building the graph; when it
   * was computed, and why it is not newer when it is a kept graph whose refresh failed ({@link
   * FleetGraph}).
   */
  record Answer(
      Graph graph,
      Set<Kind> recorded,
      Duration asking,
      Duration building,
      Instant computedAt,
      Optional<String> refreshError) {
    Answer {
      recorded = Set.copyOf(recorded);
    }

    /** An answer computed now. */
    Answer(Graph graph, Set<Kind> recorded, Duration asking, Duration building) {
      this(graph, recorded, asking, building, Instant.now(), Optional.empty());
    }

    /** The same graph, marked as kept because its refresh failed with {@code error}. */
    Answer refreshFailed(String error) {
      return new Answer(graph, recorded, asking, building, computedAt, Optional.of(error));
    }
  }

  private static final Set<Kind> DEPENDENCIES = EnumSet.of(Kind.UPSTREAM, Kind.DOWNSTREAM);
  private static final Set<Kind> BYTES =
      EnumSet.of(Kind.UPSTREAM_BYTES, Kind.DOWNSTREAM_BYTES, Kind.TRAFFIC_BYTES);
  private static final Set<Kind> NODES = EnumSet.of(Kind.HOSTS, Kind.REMOTE_ADDRESSES);
  private static final Set<Kind> HEALTH =
      EnumSet.of(
          Kind.UPSTREAM_CONNECT_FAILURES,
          Kind.UPSTREAM_RETRANSMITTED,
          Kind.DOWNSTREAM_RETRANSMITTED,
          Kind.UPSTREAM_RTT,
          Kind.DOWNSTREAM_RTT);

  /** The window of {@code rate()} over the raw counters, as the rules' {@code rate5m}. */
  private static final Duration RAW_RATE_WINDOW = Duration.ofMinutes(5);

  private final Prometheus prometheus;
  private final Duration timeout;
  private final int maxSeries;

  /**
   * @param timeout the deadline of one request
   * @param maxSeries the most series one request may take from Prometheus, all queries together
   */
  GraphService(Prometheus prometheus, Duration timeout, int maxSeries) {
    this.prometheus = prometheus;
    this.timeout = timeout;
    this.maxSeries = maxSeries;
  }

  /** The whole fleet's map over the {@code range} that ends at {@code end}. */
  Answer whole(Duration range, Instant end) throws PrometheusException {
    Deadline deadline = new Deadline();
    Asking asking = new Asking(range, end, deadline);
    Map<Kind, CompletableFuture<List<QuerySeries>>> pending =
        asking.ask(EnumSet.allOf(Kind.class), NodeFilter.ALL);
    Map<Kind, Collection<QuerySeries>> answers = new EnumMap<>(Kind.class);
    deadline.collect(pending, answers, false);
    return asking.answer(answers, graph -> graph);
  }

  /**
   * The neighbourhood of {@code center} ({@link Neighbourhood}), asking Prometheus only for the
   * series around it: one step of dependency and bytes queries per level of depth, each about the
   * nodes reached by the step before. The nodes' host counts come from their recorded series at
   * once (a few hundred series for the whole fleet), from the raw series only for the nodes found.
   *
   * @return empty when {@code center} is no node of the map over that range
   */
  Optional<Answer> around(Duration range, Instant end, String center, int depth)
      throws PrometheusException {
    Deadline deadline = new Deadline();
    Asking asking = new Asking(range, end, deadline);
    Map<Kind, CompletableFuture<List<QuerySeries>>> nodeKinds =
        asking.askRecordedOnly(NODES, NodeFilter.ALL);
    Map<Kind, Collection<QuerySeries>> answers = new EnumMap<>(Kind.class);
    Set<String> downward = new HashSet<>(Set.of(center));
    Set<String> upward = new HashSet<>(Set.of(center));
    Set<String> down = Set.of(center);
    Set<String> up = Set.of(center);
    Set<Kind> edgeKinds = EnumSet.copyOf(DEPENDENCIES);
    edgeKinds.addAll(BYTES);
    edgeKinds.addAll(HEALTH);
    for (int step = 0; step < depth && !(down.isEmpty() && up.isEmpty()); step++) {
      Set<String> frontier = new HashSet<>(down);
      frontier.addAll(up);
      deadline.collect(asking.ask(edgeKinds, NodeFilter.anyOf(frontier)), answers, true);
      List<Edge> edges = GraphBuilder.build(answers).edges();
      down = next(edges, down, downward, true);
      up = next(edges, up, upward, false);
    }
    Set<String> nodes = new HashSet<>(downward);
    nodes.addAll(upward);
    Set<Kind> recorded = asking.recorded();
    Map<Kind, CompletableFuture<List<QuerySeries>>> pending = new EnumMap<>(Kind.class);
    for (Kind kind : NODES) {
      pending.put(
          kind,
          recorded.contains(kind)
              ? nodeKinds.get(kind)
              : asking.raw(kind, NodeFilter.anyOf(nodes)));
    }
    deadline.collect(pending, answers, true);
    Answer answer = asking.answer(answers, graph -> Neighbourhood.of(graph, center, depth));
    boolean found =
        answer.graph().nodes().stream()
            .anyMatch(node -> NodeFilter.matches(Set.of(center), node.id()));
    return found ? Optional.of(answer) : Optional.empty();
  }

  /**
   * One edge's bytes/s and health over the last {@code range}, as a time series: range queries
   * ({@code query_range}) of the bytes and health kinds around its two ends, {@link #step} apart,
   * each step's answers merged by {@link GraphBuilder} exactly as the map merges them (both ends,
   * darkstat's pairs).
   */
  History history(EdgeRequest request) throws PrometheusException {
    Deadline deadline = new Deadline();
    Instant end = Instant.now();
    Asking asking = new Asking(request.range(), end, deadline);
    Duration step = step(request.range());
    NodeFilter filter = NodeFilter.anyOf(Set.of(request.source(), request.target()));
    Set<Kind> recorded = asking.recorded();
    Map<Kind, CompletableFuture<List<Series>>> pending = new EnumMap<>(Kind.class);
    Set<Kind> kinds = EnumSet.copyOf(BYTES);
    kinds.addAll(HEALTH);
    for (Kind kind : kinds) {
      if (!recorded.contains(kind) && !asking.hasRaw(kind)) {
        continue;
      }
      String promql =
          recorded.contains(kind)
              ? kind.recordedSeries(filter)
              : kind.raw(RAW_RATE_WINDOW.toSeconds() + "s", filter);
      pending.put(
          kind,
          prometheus.queryRange(
              promql,
              end.minus(request.range()),
              end,
              step,
              deadline.remaining(),
              deadline.series));
    }
    // Every step's samples, by time then kind.
    Map<Double, Map<Kind, Collection<QuerySeries>>> steps = new TreeMap<>();
    deadline.untilAllDoneOrOneFailed(pending.values());
    for (Map.Entry<Kind, CompletableFuture<List<Series>>> entry : pending.entrySet()) {
      for (Series series : deadline.await(entry.getValue())) {
        for (PrometheusJson.Point point : series.points()) {
          steps
              .computeIfAbsent(point.time(), t -> new EnumMap<>(Kind.class))
              .computeIfAbsent(entry.getKey(), k -> new ArrayList<>())
              .add(new QuerySeries(series.labels(), point.value()));
        }
      }
    }
    QuerySeries edge =
        new QuerySeries(
            Map.of(
                "local_node", request.source(),
                "remote_node", request.target(),
                "port", request.port(),
                "protocol", request.protocol()),
            1);
    String id =
        request.source()
            + "->"
            + request.target()
            + ":"
            + request.port()
            + "/"
            + request.protocol();
    List<History.Point> points = new ArrayList<>();
    steps.forEach(
        (time, answers) -> {
          answers.put(Kind.UPSTREAM, List.of(edge));
          // Failures make edges of their own: the other edges of the two ends may be there too.
          Edge merged =
              GraphBuilder.build(answers).edges().stream()
                  .filter(e -> e.id().equals(id))
                  .findFirst()
                  .orElseThrow();
          if (!merged.bytesFrom().isEmpty() || !merged.health().equals(Graph.Health.UNKNOWN)) {
            points.add(
                new History.Point(
                    time,
                    merged.egressBps(),
                    merged.ingressBps(),
                    merged.bytesFrom(),
                    merged.health()));
          }
        });
    return new History(request, step, recorded, points);
  }

  /** How far apart an edge's points are: about 120 points, never closer than the rules' minute. */
  private static Duration step(Duration range) {
    return Duration.ofSeconds(Math.max(60, (range.toSeconds() + 119) / 120));
  }

  /**
   * An edge's bytes/s and health over time, from its source's point of view.
   *
   * @param points the steps with byte or health data, in time order
   */
  record History(EdgeRequest request, Duration step, Set<Kind> recorded, List<Point> points) {
    History {
      recorded = Set.copyOf(recorded);
      points = List.copyOf(points);
    }

    /**
     * One step: seconds since the epoch, bytes/s each way when known, their source (empty without
     * byte data), and the edge's health.
     */
    record Point(
        double time,
        OptionalDouble egressBps,
        OptionalDouble ingressBps,
        String from,
        Graph.Health health) {}
  }

  /** The ends of {@code edges} one step from {@code frontier} not seen before, now seen. */
  private static Set<String> next(
      List<Edge> edges, Set<String> frontier, Set<String> seen, boolean downward) {
    Set<String> next = new HashSet<>();
    for (Edge edge : edges) {
      String from = downward ? edge.source() : edge.target();
      String to = downward ? edge.target() : edge.source();
      if (NodeFilter.matches(frontier, from) && seen.add(to)) {
        next.add(to);
      }
    }
    return next;
  }

  /**
   * The queries of one request. Which kinds have recorded series is asked once, and meanwhile every
   * query is sent in its recorded form: with the rules loaded (the case that must be fast) the
   * answers arrive in one round trip; a kind without recorded series is then asked again over the
   * raw series, and its recorded query (over no series: cheap) is dropped. A kind with neither
   * (health figures where no exporter measures them) is not asked at all: its raw query would still
   * make Prometheus build the owner table of its joins. Which raw series exist is asked once the
   * recorded names have answered, when some kind has none.
   */
  private final class Asking {
    private final long started = System.nanoTime();
    private final String window;
    private final Instant end;
    private final Deadline deadline;
    private final CompletableFuture<Set<String>> rawNames;
    private final CompletableFuture<Set<Kind>> recorded;

    /** The queries over {@code range} up to {@code end}, evaluated at {@code end}. */
    Asking(Duration range, Instant end, Deadline deadline) {
      this.window = range.toSeconds() + "s";
      this.end = end;
      this.deadline = deadline;
      this.recorded =
          prometheus
              .names(Kind.RECORDED_NAMES, end, range, deadline.remaining())
              .thenApply(
                  present -> {
                    Set<Kind> kinds = EnumSet.noneOf(Kind.class);
                    for (Kind kind : Kind.values()) {
                      if (present.contains(kind.recordedName())) {
                        kinds.add(kind);
                      }
                    }
                    return kinds;
                  });
      // Asked once the recorded names have answered, and only when a kind has no recorded series:
      // with the rules loaded, a request sends no more than before.
      this.rawNames =
          recorded.thenCompose(
              kinds ->
                  kinds.size() == Kind.values().length
                      ? CompletableFuture.completedFuture(Set.of())
                      : prometheus.names(
                          Kind.rawNamesSelector(), end, range, deadline.remaining()));
    }

    Map<Kind, CompletableFuture<List<QuerySeries>>> ask(Set<Kind> kinds, NodeFilter filter) {
      Map<Kind, CompletableFuture<List<QuerySeries>>> pending = new EnumMap<>(Kind.class);
      askRecordedOnly(kinds, filter)
          .forEach(
              (kind, speculative) ->
                  pending.put(
                      kind,
                      recorded.thenCompose(
                          recordedKinds -> {
                            if (recordedKinds.contains(kind)) {
                              return speculative;
                            }
                            // Nothing to wait for: stop reading whatever it answers.
                            speculative.cancel(true);
                            return raw(kind, filter);
                          })));
      return pending;
    }

    /** The kinds' recorded queries only: whether their series exist is checked by the caller. */
    Map<Kind, CompletableFuture<List<QuerySeries>>> askRecordedOnly(
        Set<Kind> kinds, NodeFilter filter) {
      Map<Kind, CompletableFuture<List<QuerySeries>>> pending = new EnumMap<>(Kind.class);
      for (Kind kind : kinds) {
        pending.put(
            kind,
            prometheus.query(
                kind.recorded(window, filter), end, deadline.remaining(), deadline.series));
      }
      return pending;
    }

    CompletableFuture<List<QuerySeries>> raw(Kind kind, NodeFilter filter) {
      return rawNames.thenCompose(
          present ->
              hasRaw(present, kind)
                  ? prometheus.query(
                      kind.raw(window, filter), end, deadline.remaining(), deadline.series)
                  : CompletableFuture.completedFuture(List.of()));
    }

    /** Whether any raw series of {@code kind} exists in the range. */
    boolean hasRaw(Kind kind) throws PrometheusException {
      return hasRaw(deadline.await(rawNames), kind);
    }

    private static boolean hasRaw(Set<String> present, Kind kind) {
      return kind.rawNames().stream().anyMatch(present::contains);
    }

    Set<Kind> recorded() throws PrometheusException {
      return deadline.await(recorded);
    }

    Answer answer(Map<Kind, Collection<QuerySeries>> answers, UnaryOperator<Graph> part)
        throws PrometheusException {
      long built = System.nanoTime();
      Graph graph = part.apply(GraphBuilder.build(answers));
      long end = System.nanoTime();
      return new Answer(
          graph, recorded(), Duration.ofNanos(built - started), Duration.ofNanos(end - built));
    }
  }

  /** The end of the request's time, and its series. */
  private final class Deadline {
    private final long end = System.nanoTime() + timeout.toNanos();
    private final SeriesBudget series = new SeriesBudget(maxSeries);

    Duration remaining() {
      return Duration.ofNanos(Math.max(1, end - System.nanoTime()));
    }

    /**
     * Waits for every answer and adds it to {@code answers} (a new kind gets a list, or a set when
     * {@code answers} is a neighbourhood's, whose steps may see an edge twice: its bytes must count
     * once); on failure, cancels the rest.
     */
    void collect(
        Map<Kind, CompletableFuture<List<QuerySeries>>> pending,
        Map<Kind, Collection<QuerySeries>> answers,
        boolean distinct)
        throws PrometheusException {
      try {
        untilAllDoneOrOneFailed(pending.values());
        for (Map.Entry<Kind, CompletableFuture<List<QuerySeries>>> entry : pending.entrySet()) {
          answers
              .computeIfAbsent(
                  entry.getKey(), k -> distinct ? new LinkedHashSet<>() : new ArrayList<>())
              .addAll(await(entry.getValue()));
        }
      } finally {
        pending.values().forEach(future -> future.cancel(true));
      }
    }

    /**
     * Waits until all of {@code futures} are done or one has failed, whichever comes first: a
     * failed query fails the request at once, whatever the others still take. Read in order, a
     * failure behind a query still unanswered (a slow one, or one whose connection stalled) would
     * wait for the deadline and be reported as a timeout.
     */
    void untilAllDoneOrOneFailed(Collection<? extends CompletableFuture<?>> futures)
        throws PrometheusException {
      CompletableFuture<CompletableFuture<?>> failed = new CompletableFuture<>();
      for (CompletableFuture<?> future : futures) {
        future.whenComplete(
            (value, failure) -> {
              if (failure != null) {
                failed.complete(future);
              }
            });
      }
      CompletableFuture<Void> all =
          CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
      if (await(CompletableFuture.anyOf(all, failed)) instanceof CompletableFuture<?> first) {
        await(first); // throws its failure
      }
    }

    <T> T await(CompletableFuture<T> future) throws PrometheusException {
      try {
        return future.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        throw timedOut(e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof PrometheusException cause) {
          // The client's own timeout is the time left, which says less than the flag's value.
          throw cause.getCause() instanceof HttpTimeoutException
              ? timedOut(cause)
              : new PrometheusException(cause);
        }
        throw new PrometheusException("asking Prometheus failed: " + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PrometheusException("interrupted while waiting for Prometheus", e);
      }
    }

    private PrometheusException timedOut(Exception cause) {
      return new PrometheusException(
          "Prometheus did not answer within the query timeout of " + GoDuration.format(timeout),
          cause);
    }
  }
}
