package io.planetexporter.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GraphServiceRawTest {

  @Test
  void withoutRecordedSeriesAsksOnlyTheKindsWhoseRawSeriesExist() throws Exception {
    try (FakePrometheus prometheus =
        new FakePrometheus()
            .answer(
                "planet_upstream",
                "local_node=web remote_node=api port=8080 protocol=tcp process_name=nginx -> 1")) {
      GraphService graphs = FakePrometheus.graphs(prometheus.uri(), Duration.ofSeconds(5));

      GraphService.Answer answer = graphs.whole(Duration.ofHours(1), Instant.now());

      assertThat(answer.recorded()).isEmpty();
      assertThat(answer.graph().edges()).extracting(Graph.Edge::id).contains("web->api:8080/tcp");
      // Upstream and the peer addresses read planet_upstream; the health, bytes and host kinds,
      // with no series, were not asked (their raw queries would build the owner table each).
      assertThat(prometheus.queries())
          .filteredOn(q -> q.contains("planet_address_info"))
          .hasSize(2)
          .allMatch(q -> q.contains("planet_upstream{"));
      assertThat(prometheus.queries())
          .noneMatch(q -> q.contains("planet_upstream_rtt_seconds{"))
          .noneMatch(q -> q.contains("planet_hostname{"));
    }
  }
}
