package io.planetexporter.map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.planetexporter.map.Graph.Edge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Edge health on the map: from the health kinds to the edge's figures and its JSON. */
class GraphHealthTest {

  private static final String WEB_API = "local_node=web remote_node=api port=8080 protocol=tcp";
  private static final String API_WEB = "local_node=api remote_node=web port=8080 protocol=tcp";

  private final Map<Kind, List<QuerySeries>> answers = new EnumMap<>(Kind.class);

  private void add(Kind kind, String labels, double value) {
    Map<String, String> map = new HashMap<>();
    for (String pair : labels.trim().split(" +")) {
      String[] kv = pair.split("=", 2);
      map.put(kv[0], kv[1]);
    }
    answers.computeIfAbsent(kind, k -> new ArrayList<>()).add(new QuerySeries(map, value));
  }

  private Edge edge(String id) {
    return GraphBuilder.build(answers).edges().stream()
        .filter(e -> e.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no edge " + id));
  }

  @Test
  void retransmittedRatioIsWhatEachEndSentAgainOverWhatItSent() {
    add(Kind.UPSTREAM, WEB_API + " process_name=nginx", 1);
    add(Kind.UPSTREAM_BYTES, WEB_API + " direction=egress", 1_000);
    add(Kind.UPSTREAM_BYTES, WEB_API + " direction=ingress", 9_000);
    // web sent 10 B/s again of its 1000, api 90 of its 9000.
    add(Kind.UPSTREAM_RETRANSMITTED, WEB_API, 10);
    add(Kind.DOWNSTREAM_RETRANSMITTED, API_WEB, 90);

    assertThat(edge("web->api:8080/tcp").health().retransmittedRatio().getAsDouble())
        .isCloseTo(0.01, within(1e-12));
  }

  @Test
  void retransmittedRatioOfOneReportingEndIsThatEndsAlone() {
    add(Kind.UPSTREAM, WEB_API + " process_name=nginx", 1);
    add(Kind.UPSTREAM_BYTES, WEB_API + " direction=egress", 1_000);
    add(Kind.UPSTREAM_BYTES, WEB_API + " direction=ingress", 9_000);
    add(Kind.UPSTREAM_RETRANSMITTED, WEB_API, 30);

    assertThat(edge("web->api:8080/tcp").health().retransmittedRatio())
        .isEqualTo(OptionalDouble.of(0.03));
  }

  @Test
  void anEdgeWithoutHealthSeriesHasNoFigures() {
    add(Kind.UPSTREAM, WEB_API + " process_name=nginx", 1);

    assertThat(edge("web->api:8080/tcp").health()).isEqualTo(Graph.Health.UNKNOWN);
  }

  @Test
  void aDependencyKnownOnlyFromItsFailuresIsAnEdge() {
    // Every connect refused: no connection ever lived to make a planet_upstream series.
    add(Kind.UPSTREAM_CONNECT_FAILURES, WEB_API, 0.5);

    Edge edge = edge("web->api:8080/tcp");
    assertThat(edge.health().connectFailuresPerSecond()).isEqualTo(OptionalDouble.of(0.5));
    assertThat(edge.processes()).isEmpty();
  }

  @Test
  void rttIsTheConnectingEndsElseTheServingEnds() {
    add(Kind.UPSTREAM, WEB_API + " process_name=nginx", 1);
    add(Kind.DOWNSTREAM_RTT, API_WEB, 0.004);
    assertThat(edge("web->api:8080/tcp").health().rttSeconds()).isEqualTo(OptionalDouble.of(0.004));

    add(Kind.UPSTREAM_RTT, WEB_API, 0.002);
    assertThat(edge("web->api:8080/tcp").health().rttSeconds()).isEqualTo(OptionalDouble.of(0.002));
  }

  @Test
  void theJsonCarriesTheFiguresAndLeavesOutTheUnknown() throws Exception {
    add(Kind.UPSTREAM, WEB_API + " process_name=nginx", 1);
    add(Kind.UPSTREAM, "local_node=web remote_node=db port=5432 protocol=tcp process_name=psql", 1);
    add(Kind.UPSTREAM_CONNECT_FAILURES, WEB_API, 0.25);
    add(Kind.UPSTREAM_RTT, WEB_API, 0.002);

    JsonNode json =
        new ObjectMapper()
            .readTree(
                new String(
                    GraphJson.write(
                        new GraphService.Answer(
                            GraphBuilder.build(answers), Set.of(), Duration.ZERO, Duration.ZERO)),
                    UTF_8));

    JsonNode failing = json.path("edges").get(0);
    assertThat(failing.path("id").asText()).isEqualTo("web->api:8080/tcp");
    assertThat(failing.path("connect_failures_per_second").asDouble()).isEqualTo(0.25);
    assertThat(failing.path("rtt_seconds").asDouble()).isEqualTo(0.002);
    assertThat(failing.has("retransmitted_ratio")).isFalse();
    JsonNode clean = json.path("edges").get(1);
    assertThat(clean.path("id").asText()).isEqualTo("web->db:5432/tcp");
    assertThat(clean.has("connect_failures_per_second")).isFalse();
    assertThat(clean.has("rtt_seconds")).isFalse();
  }
}
