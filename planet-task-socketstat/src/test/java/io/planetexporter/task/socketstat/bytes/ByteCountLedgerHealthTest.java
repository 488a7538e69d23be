package io.planetexporter.task.socketstat.bytes;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.task.socketstat.classify.Direction;
import io.planetexporter.task.socketstat.classify.Edge;
import io.planetexporter.task.socketstat.classify.EdgeLabels;
import io.planetexporter.task.socketstat.health.ConnectFailure;
import io.planetexporter.task.socketstat.health.EdgeHealth;
import io.planetexporter.task.socketstat.table.Protocol;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ledger's health: the byte counts' rules, applied to retransmissions and failures. */
class ByteCountLedgerHealthTest {

  private static final Edge DB = edge("db", "java");
  private static final Instant T0 = Instant.parse("2026-12-06T00:00:00Z");

  private final ByteCountLedger ledger = new ByteCountLedger(Duration.ofMinutes(10));

  private static Edge edge(String remote, String process) {
    return new Edge(
        Direction.UPSTREAM,
        new EdgeLabels("", "", "10.0.0.1", remote, 5432, Protocol.TCP, process, "", "", ""));
  }

  /** A live connection: cookie, retransmitted bytes, RTT in µs. */
  private record Live(long cookie, Edge edge, long retransmitted, int rttMicros) {}

  private static ByteCountLedger.Closed closed(
      long cookie, Edge edge, long retransmitted, ConnectFailure failure) {
    return new ByteCountLedger.Closed(cookie, edge, ByteCount.ZERO, retransmitted, failure);
  }

  private Map<Edge, EdgeHealth> collect(
      int second, List<Live> live, List<ByteCountLedger.Closed> events) {
    ledger.begin(T0.plusSeconds(second));
    for (Live connection : live) {
      ledger.see(
          connection.cookie(),
          connection.edge(),
          100,
          100,
          connection.retransmitted(),
          connection.rttMicros());
    }
    ledger.end(events);
    return ledger.health();
  }

  @Test
  void addsTheRetransmissionsOfLiveConnectionsToThoseOfClosedOnesNeverDecreasing() {
    collect(0, List.of(new Live(1, DB, 1_000, 200), new Live(2, DB, 50, 400)), List.of());

    // 1 retransmits more, 2 closes having retransmitted 80; a counter read lower keeps the highest.
    assertThat(collect(7, List.of(new Live(1, DB, 1_500, 300)), List.of(closed(2, DB, 80, null))))
        .containsExactly(Map.entry(DB, new EdgeHealth(1_580, 0, 0, 0, 300, 1)));
    assertThat(collect(14, List.of(new Live(1, DB, 1_400, 300)), List.of()).get(DB))
        .isEqualTo(new EdgeHealth(1_580, 0, 0, 0, 300, 1));
  }

  @Test
  void averagesOnlyTheLiveConnectionsWithAnRtt() {
    // A connection still in SYN_SENT has no RTT sample (0).
    assertThat(
            collect(
                0,
                List.of(new Live(1, DB, 0, 100), new Live(2, DB, 0, 300), new Live(3, DB, 0, 0)),
                List.of()))
        .containsExactly(Map.entry(DB, new EdgeHealth(0, 0, 0, 0, 400, 2)));
    assertThat(collect(7, List.of(), List.of()).get(DB).hasRtt()).isFalse();
  }

  @Test
  void countsEachFailedConnectOnceOnTheEdgeItWasSeenLiveUnder() {
    Edge unnamed = edge("db", ""); // a destroy event has no inode: no process
    collect(0, List.of(new Live(1, DB, 0, 0)), List.of()); // in SYN_SENT

    Map<Edge, EdgeHealth> health =
        collect(
            7,
            List.of(),
            List.of(
                closed(1, unnamed, 0, ConnectFailure.TIMEOUT),
                closed(2, unnamed, 0, ConnectFailure.REFUSED),
                closed(3, unnamed, 0, ConnectFailure.REFUSED)));

    assertThat(health)
        .containsOnly(
            Map.entry(DB, new EdgeHealth(0, 0, 1, 0, 0, 0)),
            Map.entry(unnamed, new EdgeHealth(0, 2, 0, 0, 0, 0)));
    assertThat(collect(14, List.of(), List.of())).isEqualTo(health);
  }

  @Test
  void keepsAFailingEdgeForTheRetentionAfterItsLastFailure() {
    collect(0, List.of(), List.of(closed(1, DB, 0, ConnectFailure.REFUSED)));

    assertThat(collect(600, List.of(), List.of())).containsKey(DB);
    assertThat(collect(601, List.of(), List.of())).isEmpty();
  }
}
