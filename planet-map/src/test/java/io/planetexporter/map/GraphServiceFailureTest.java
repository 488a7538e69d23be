package io.planetexporter.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A query that fails fails the request with its own error, even while a query asked before it has
 * not answered: the answers are not awaited in the order they were asked.
 */
class GraphServiceFailureTest {

  /** Shorter than {@link FakePrometheus#STALL}: read in order, the stalled query would time out. */
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  @Test
  void aFailedKindFailsTheWholeMapWithItsErrorWhileAnEarlierKindStalls() throws Exception {
    try (FakePrometheus prometheus = dependencies()) {
      // Upstream is asked, and was awaited, first.
      prometheus.stalling("hostgroup:planet_upstream:count");
      prometheus.failing("hostgroup:planet_downstream:count");
      GraphService graphs = FakePrometheus.graphs(prometheus.uri(), TIMEOUT);

      assertThatThrownBy(() -> graphs.whole(Duration.ofHours(1), Instant.now()))
          .isInstanceOf(PrometheusException.class)
          .hasMessageContaining("503")
          .hasMessageContaining("down for a test")
          .hasMessageNotContaining("timeout");
    }
  }

  @Test
  void aFailedKindFailsAnEdgesHistoryWithItsErrorWhileAnEarlierKindStalls() throws Exception {
    try (FakePrometheus prometheus = new FakePrometheus()) {
      prometheus
          .answer("hostgroup:planet_upstream_bytes:rate5m", "local_node=web remote_node=api -> 1")
          .answer(
              "hostgroup:planet_downstream_bytes:rate5m", "local_node=api remote_node=web -> 1");
      prometheus.stalling("hostgroup:planet_upstream_bytes:rate5m");
      prometheus.failing("hostgroup:planet_downstream_bytes:rate5m");
      GraphService graphs = FakePrometheus.graphs(prometheus.uri(), TIMEOUT);

      assertThatThrownBy(
              () ->
                  graphs.history(new EdgeRequest(Duration.ofHours(1), "web", "api", "8080", "tcp")))
          .isInstanceOf(PrometheusException.class)
          .hasMessageContaining("down for a test")
          .hasMessageNotContaining("timeout");
    }
  }

  @Test
  void aStalledKindAloneIsReportedAsTheQueryTimeout() throws Exception {
    try (FakePrometheus prometheus = dependencies()) {
      prometheus.stalling("hostgroup:planet_downstream:count");
      GraphService graphs = FakePrometheus.graphs(prometheus.uri(), TIMEOUT);

      assertThatThrownBy(() -> graphs.whole(Duration.ofHours(1), Instant.now()))
          .isInstanceOf(PrometheusException.class)
          .hasMessage("Prometheus did not answer within the query timeout of 3s");
      assertThat(prometheus.queries()).anyMatch(q -> q.contains("hostgroup:planet_upstream:count"));
    }
  }

  /** A Prometheus with one recorded upstream and one recorded downstream edge. */
  private static FakePrometheus dependencies() throws IOException {
    return new FakePrometheus()
        .answer("hostgroup:planet_upstream:count", "local_node=web remote_node=api -> 1")
        .answer("hostgroup:planet_downstream:count", "local_node=api remote_node=web -> 1");
  }
}
