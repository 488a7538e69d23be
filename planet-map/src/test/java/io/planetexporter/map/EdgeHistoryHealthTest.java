package io.planetexporter.map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code /api/edge}'s points carry the edge's health, step by step, from the recorded series. */
class EdgeHistoryHealthTest {

  /** Answers range queries of recorded series with fixed series; every recorded series exists. */
  private static final class RecordedSeries implements Prometheus {
    private final Map<String, List<PrometheusJson.Series>> byName = new HashMap<>();

    /** One series of {@code name}: labels, then a value at each of the times 60 and 120. */
    RecordedSeries add(String name, Map<String, String> labels, double at60, double at120) {
      byName
          .computeIfAbsent(name, n -> new java.util.ArrayList<>())
          .add(
              new PrometheusJson.Series(
                  labels,
                  List.of(
                      new PrometheusJson.Point(60, at60), new PrometheusJson.Point(120, at120))));
      return this;
    }

    @Override
    public CompletableFuture<List<QuerySeries>> query(
        String promql, Instant time, Duration timeout, SeriesBudget budget) {
      return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletableFuture<List<PrometheusJson.Series>> queryRange(
        String promql,
        Instant start,
        Instant end,
        Duration step,
        Duration timeout,
        SeriesBudget budget) {
      return CompletableFuture.completedFuture(
          byName.entrySet().stream()
              .filter(e -> promql.startsWith(e.getKey() + "{"))
              .flatMap(e -> e.getValue().stream())
              .toList());
    }

    @Override
    public CompletableFuture<Set<String>> names(
        String selector, Instant end, Duration lookback, Duration timeout) {
      Set<String> names = new java.util.HashSet<>();
      for (Kind kind : Kind.values()) {
        names.add(kind.recordedName());
      }
      return CompletableFuture.completedFuture(names);
    }
  }

  private static Map<String, String> edge(String local, String remote) {
    return Map.of("local_node", local, "remote_node", remote, "port", "8080", "protocol", "tcp");
  }

  @Test
  void eachStepHasTheEdgesFailuresAndRttEvenWithoutBytes() throws Exception {
    RecordedSeries prometheus =
        new RecordedSeries()
            .add("hostgroup:planet_upstream_connect_failures:rate5m", edge("web", "api"), 0, 2)
            .add("hostgroup:planet_upstream_rtt_seconds:avg", edge("web", "api"), 0.001, 0.003)
            // Another edge of web that fails: not this edge's.
            .add(
                "hostgroup:planet_upstream_connect_failures:rate5m",
                Map.of("local_node", "web", "remote_node", "db", "port", "5432", "protocol", "tcp"),
                9,
                9);

    GraphService.History history =
        new GraphService(prometheus, Duration.ofSeconds(5), PrometheusSettings.DEFAULT_MAX_SERIES)
            .history(new EdgeRequest(Duration.ofHours(1), "web", "api", "8080", "tcp"));
    JsonNode json = new ObjectMapper().readTree(new String(GraphJson.write(history), UTF_8));

    JsonNode points = json.path("points");
    assertThat(points.findValuesAsText("time")).containsExactly("60.0", "120.0");
    assertThat(points.findValues("connect_failures_per_second"))
        .extracting(JsonNode::asDouble)
        .containsExactly(0.0, 2.0);
    assertThat(points.findValues("rtt_seconds"))
        .extracting(JsonNode::asDouble)
        .containsExactly(0.001, 0.003);
    assertThat(points.get(0).has("egress_bps")).isFalse();
    assertThat(points.findValuesAsText("bytes_from")).containsExactly("", "");
  }
}
