package io.planetexporter.map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FleetGraphTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  // Longer than any test: the refreshes after the first are the tests' own.
  private static final Duration NEVER = Duration.ofHours(1);

  private final Logger logger = Logger.getLogger(FleetGraph.class.getName());
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final StreamHandler handler = new StreamHandler(log, new SimpleFormatter());
  private FakePrometheus prometheus;
  private FleetGraph fleet;

  @BeforeEach
  void start() throws Exception {
    logger.addHandler(handler);
    prometheus =
        new FakePrometheus()
            .answer(
                "hostgroup:planet_upstream:count",
                "local_node=web remote_node=api port=8080 protocol=tcp process_name=nginx -> 2")
            .answer("hostgroup:planet_hosts:count", "local_node=web -> 2", "local_node=api -> 1");
  }

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
    prometheus.close();
    logger.removeHandler(handler);
  }

  /** What was logged, one record after the other in SimpleFormatter's text. */
  private String logged() {
    handler.flush();
    return log.toString(UTF_8);
  }

  private FleetGraph startFleet() {
    fleet =
        FleetGraph.start(
            FakePrometheus.graphs(prometheus.uri(), TIMEOUT), Duration.ofHours(1), NEVER, TIMEOUT);
    return fleet;
  }

  @Test
  void answersFromTheGraphOfTheLastRefreshWithoutAskingPrometheusAgain() throws Exception {
    Instant before = Instant.now().minusSeconds(1);
    GraphService.Answer first = startFleet().current().answer();
    int asked = prometheus.queries().size();

    GraphService.Answer again = fleet.current().answer();

    assertThat(first.graph().edges())
        .extracting(Graph.Edge::id)
        .containsExactly("web->api:8080/tcp");
    assertThat(first.computedAt()).isAfter(before).isBeforeOrEqualTo(Instant.now());
    assertThat(first.refreshError()).isEmpty();
    assertThat(again).isSameAs(first);
    assertThat(fleet.current().json()).isEqualTo(GraphJson.write(first));
    assertThat(asked).isPositive();
    assertThat(prometheus.queries()).hasSize(asked);
    assertThat(fleet.range()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void aRefreshAsksAgainAndServesTheNewGraph() throws Exception {
    GraphService.Answer first = startFleet().current().answer();
    prometheus.answer(
        "hostgroup:planet_upstream:count",
        "local_node=web remote_node=api port=8080 protocol=tcp process_name=nginx -> 2",
        "local_node=api remote_node=db port=5432 protocol=tcp process_name=java -> 1");

    fleet.refresh();

    assertThat(fleet.current().answer()).isNotSameAs(first);
    assertThat(fleet.current().answer().graph().edges())
        .extracting(Graph.Edge::id)
        .containsExactly("api->db:5432/tcp", "web->api:8080/tcp");
  }

  @Test
  void aFailedRefreshKeepsTheLastGoodGraphSaysWhyAndLogsOnce() throws Exception {
    GraphService.Answer good = startFleet().current().answer();
    prometheus.failing(true);

    fleet.refresh();
    fleet.refresh();
    GraphService.Answer kept = fleet.current().answer();

    assertThat(kept.graph()).isSameAs(good.graph());
    assertThat(kept.computedAt()).isEqualTo(good.computedAt());
    assertThat(kept.refreshError())
        .hasValueSatisfying(e -> assertThat(e).contains("down for a test"));
    assertThat(new String(fleet.current().json(), UTF_8))
        .isEqualTo(new String(GraphJson.write(kept), UTF_8))
        .contains("\"refresh_error\":\"");
    assertThat(logged()).containsOnlyOnce("WARNING: ").contains("down for a test");

    prometheus.failing(false);
    fleet.refresh();

    assertThat(fleet.current().answer().refreshError()).isEmpty();
    assertThat(fleet.current().answer().computedAt()).isAfterOrEqualTo(good.computedAt());
    assertThat(logged()).containsOnlyOnce("WARNING: ").containsOnlyOnce("INFO: ");
  }

  @Test
  void withNoGoodGraphYetARequestGetsTheRefreshsFailure() {
    prometheus.failing(true);

    assertThatThrownBy(startFleet()::current)
        .isInstanceOf(PrometheusException.class)
        .hasMessageContaining("down for a test");
  }
}
