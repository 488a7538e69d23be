package io.planetexporter.task.socketstat.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.planetexporter.api.testing.TaskRun;
import io.planetexporter.task.socketstat.bytes.ByteCountMode;
import io.planetexporter.task.socketstat.classify.Direction;
import io.planetexporter.task.socketstat.classify.Edge;
import io.planetexporter.task.socketstat.classify.EdgeLabels;
import io.planetexporter.task.socketstat.classify.EdgesAndListeners;
import io.planetexporter.task.socketstat.classify.ListenerLabels;
import io.planetexporter.task.socketstat.health.AcceptQueue;
import io.planetexporter.task.socketstat.health.EdgeHealth;
import io.planetexporter.task.socketstat.owner.OwnerLookup;
import io.planetexporter.task.socketstat.table.Protocol;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Edge health as served, and folded into {@code other} within the budget. */
class HealthMetricsTest {

  private static final EdgeLabels WEB_1 = peer("198.18.1.1", 443);
  private static final EdgeLabels WEB_2 = peer("198.18.1.2", 443);
  private static final EdgeLabels DB = peer("db.example", 5432);

  private static EdgeLabels peer(String remote, int port) {
    return new EdgeLabels(
        "",
        remote.startsWith("db") ? "db" : "",
        "10.0.0.1",
        remote,
        port,
        Protocol.TCP,
        "java",
        "",
        "",
        "");
  }

  @Test
  void foldsHealthWithItsPeerAddingCountersAndKeepingTheMeanRttExact() {
    EdgesAndListeners dependencies =
        new EdgesAndListeners(List.of(WEB_1, WEB_2, DB), List.of(), List.of());
    Map<Edge, EdgeHealth> health =
        Map.of(
            new Edge(Direction.UPSTREAM, WEB_1), new EdgeHealth(100, 2, 0, 0, 3_000, 3),
            new Edge(Direction.UPSTREAM, WEB_2), new EdgeHealth(50, 1, 4, 0, 1_000, 1),
            new Edge(Direction.UPSTREAM, DB), new EdgeHealth(0, 0, 0, 0, 0, 0));

    // Each web peer has 1 gauge, retransmitted, rtt and its failure reasons: 4 and 5; db 2.
    EdgeFolding.Folded folded =
        new EdgeFolding().fold(dependencies, Map.of(), health, 8, Instant.EPOCH);

    EdgeLabels other = peer("other", 443);
    assertThat(folded.foldedPeers()).isEqualTo(2);
    assertThat(folded.health())
        .containsOnly(
            entry(new Edge(Direction.UPSTREAM, other), new EdgeHealth(150, 3, 4, 0, 4_000, 4)),
            entry(new Edge(Direction.UPSTREAM, DB), EdgeHealth.NONE));
    assertThat(folded.health().get(new Edge(Direction.UPSTREAM, other)).rttSeconds())
        .isEqualTo(0.001);
  }

  @Test
  void servesFailuresByReasonRetransmissionsRttAndAcceptQueuesUnderTheSeriesLabels() {
    ListenerLabels listener =
        new ListenerLabels("", "0.0.0.0:8080", "java", 8080, Protocol.TCP, "", "", "");
    SocketstatResult result =
        new SocketstatResult(
            new EdgesAndListeners(List.of(WEB_1, DB), List.of(DB), List.of(listener)),
            Map.of(),
            Map.of(),
            0,
            new OwnerLookup.Stats(0, 0, 0, 0, 0),
            1,
            0,
            0.1,
            Map.of(),
            ByteCountMode.DESTROY_EVENTS,
            0,
            0,
            0,
            0,
            Map.of(
                new Edge(Direction.UPSTREAM, WEB_1), new EdgeHealth(0, 0, 3, 0, 0, 0),
                new Edge(Direction.UPSTREAM, DB), new EdgeHealth(1_448, 0, 0, 0, 2_500, 2),
                new Edge(Direction.DOWNSTREAM, DB), new EdgeHealth(0, 0, 0, 0, 40, 1)),
            Map.of(listener, new AcceptQueue(129, 128)),
            List.of(),
            Map.of());

    String text =
        TaskRun.render(new SocketstatMetrics().of(result))
            .lines()
            .filter(
                l ->
                    l.contains("_connect_failures")
                        || l.contains("_retransmitted")
                        || l.contains("_rtt")
                        || l.contains("accept_queue"))
            .filter(l -> !l.startsWith("#"))
            .collect(Collectors.joining("\n", "", "\n"));

    assertThat(text)
        .isEqualTo(
            """
            planet_downstream_retransmitted_bytes_total{container="",local_address="10.0.0.1",local_hostgroup="",port="5432",process_name="java",protocol="tcp",remote_address="db.example",remote_hostgroup="db",unit="",workload=""} 0.0
            planet_downstream_rtt_seconds{container="",local_address="10.0.0.1",local_hostgroup="",port="5432",process_name="java",protocol="tcp",remote_address="db.example",remote_hostgroup="db",unit="",workload=""} 4.0E-5
            planet_server_accept_queue{bind="0.0.0.0:8080",container="",local_hostgroup="",port="8080",process_name="java",protocol="tcp",unit="",workload=""} 129.0
            planet_server_accept_queue_limit{bind="0.0.0.0:8080",container="",local_hostgroup="",port="8080",process_name="java",protocol="tcp",unit="",workload=""} 128.0
            planet_upstream_connect_failures_total{container="",local_address="10.0.0.1",local_hostgroup="",port="443",process_name="java",protocol="tcp",reason="timeout",remote_address="198.18.1.1",remote_hostgroup="",unit="",workload=""} 3.0
            planet_upstream_retransmitted_bytes_total{container="",local_address="10.0.0.1",local_hostgroup="",port="443",process_name="java",protocol="tcp",remote_address="198.18.1.1",remote_hostgroup="",unit="",workload=""} 0.0
            planet_upstream_retransmitted_bytes_total{container="",local_address="10.0.0.1",local_hostgroup="",port="5432",process_name="java",protocol="tcp",remote_address="db.example",remote_hostgroup="db",unit="",workload=""} 1448.0
            planet_upstream_rtt_seconds{container="",local_address="10.0.0.1",local_hostgroup="",port="5432",process_name="java",protocol="tcp",remote_address="db.example",remote_hostgroup="db",unit="",workload=""} 0.00125
            """);
  }
}
