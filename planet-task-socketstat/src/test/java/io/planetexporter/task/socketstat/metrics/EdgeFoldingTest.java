package io.planetexporter.task.socketstat.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.planetexporter.task.socketstat.bytes.ByteCount;
import io.planetexporter.task.socketstat.classify.Direction;
import io.planetexporter.task.socketstat.classify.Edge;
import io.planetexporter.task.socketstat.classify.EdgeLabels;
import io.planetexporter.task.socketstat.classify.EdgesAndListeners;
import io.planetexporter.task.socketstat.table.Protocol;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EdgeFoldingTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final EdgeFolding fold = new EdgeFolding();

  /** A series to a peer: remote address and hostgroup, port; local side fixed. */
  private static EdgeLabels peer(String remote, String hostgroup, int port, String process) {
    return new EdgeLabels(
        "web", hostgroup, "10.0.0.1", remote, port, Protocol.TCP, process, "", "", "");
  }

  private static String lines(List<EdgeLabels> peers) {
    return peers.stream()
        .map(
            p ->
                p.remoteHostgroup()
                    + "/"
                    + p.remoteAddress()
                    + ":"
                    + p.port()
                    + " "
                    + p.processName())
        .collect(Collectors.joining("\n", "", "\n"));
  }

  /** 100 clients of :443 from distinct unnamed addresses, and one named database upstream. */
  private static EdgesAndListeners frontend() {
    List<EdgeLabels> downstreams = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      downstreams.add(peer("198.18.1." + i, "", 443, "nginx"));
    }
    downstreams.sort(EdgeLabels.ORDER);
    List<EdgeLabels> upstreams =
        List.of(peer("db.example", "db", 5432, "nginx"), peer("198.18.9.9", "", 53, "nginx"));
    return new EdgesAndListeners(upstreams, downstreams, List.of());
  }

  @Test
  void servesEveryPeerWithinTheBudget() {
    EdgeFolding.Folded folded = fold.fold(frontend(), Map.of(), Map.of(), 102, T0);

    assertThat(folded.foldedPeers()).isZero();
    assertThat(folded.dependencies()).isEqualTo(frontend());
  }

  @Test
  void foldsUnnamedPeersIntoOtherKeepingEveryOtherLabel() {
    EdgeFolding.Folded folded = fold.fold(frontend(), Map.of(), Map.of(), 10, T0);

    // Every unnamed peer has one series; folding them in address order, the downstream ones make
    // one other series, the DNS upstream another, within the budget once 93 are folded.
    assertThat(folded.foldedPeers()).isEqualTo(93);
    List<EdgeLabels> downstreams = folded.dependencies().downstreams();
    assertThat(downstreams).hasSize(8).contains(peer("other", "", 443, "nginx"));
    assertThat(folded.dependencies().upstreams()).contains(peer("db.example", "db", 5432, "nginx"));
    assertThat(downstreams).isSortedAccordingTo(EdgeLabels.ORDER);
  }

  @Test
  void foldsEveryUnnamedPeerAndThenNamedOnesByHostgroup() {
    EdgesAndListeners dependencies =
        new EdgesAndListeners(
            List.of(
                peer("198.18.9.9", "", 53, "nginx"),
                peer("db1.example", "db", 5432, "nginx"),
                peer("db2.example", "db", 5432, "nginx")),
            List.of(),
            List.of());

    assertThat(lines(fold.fold(dependencies, Map.of(), Map.of(), 2, T0).dependencies().upstreams()))
        .isEqualTo(
            """
            /other:53 nginx
            db/other:5432 nginx
            """);
  }

  @Test
  void foldsAPeersByteCountersWithItsDependencyAddingThemUp() {
    EdgeLabels web = peer("198.18.1.1", "", 443, "nginx");
    EdgeLabels api = peer("198.18.1.2", "", 443, "nginx");
    EdgeLabels db = peer("db.example", "db", 5432, "nginx");
    EdgesAndListeners dependencies =
        new EdgesAndListeners(List.of(db), List.of(web, api), List.of());
    Map<Edge, ByteCount> bytes =
        Map.of(
            new Edge(Direction.DOWNSTREAM, web), new ByteCount(100, 7),
            new Edge(Direction.DOWNSTREAM, api), new ByteCount(20, 3),
            new Edge(Direction.UPSTREAM, db), new ByteCount(5, 1_000));

    // 3 gauges and 6 counters; folding web and api leaves 2 + 4.
    EdgeFolding.Folded folded = fold.fold(dependencies, bytes, Map.of(), 6, T0);

    EdgeLabels other = peer("other", "", 443, "nginx");
    assertThat(folded.foldedPeers()).isEqualTo(2);
    assertThat(folded.dependencies().downstreams()).containsExactly(other);
    assertThat(folded.bytes())
        .containsOnly(
            entry(new Edge(Direction.DOWNSTREAM, other), new ByteCount(120, 10)),
            entry(new Edge(Direction.UPSTREAM, db), new ByteCount(5, 1_000)));
  }

  @Test
  void foldsTheByteCountersOfAPeerWithNoLiveConnectionLeft() {
    EdgeLabels gone = peer("198.18.1.9", "", 443, "nginx");
    EdgeLabels live = peer("198.18.1.1", "", 443, "nginx");
    EdgesAndListeners dependencies = new EdgesAndListeners(List.of(), List.of(live), List.of());
    Map<Edge, ByteCount> bytes =
        Map.of(
            new Edge(Direction.DOWNSTREAM, live), new ByteCount(1, 2),
            new Edge(Direction.DOWNSTREAM, gone), new ByteCount(30, 40));

    EdgeFolding.Folded folded = fold.fold(dependencies, bytes, Map.of(), 3, T0);

    assertThat(folded.bytes())
        .containsOnly(
            entry(
                new Edge(Direction.DOWNSTREAM, peer("other", "", 443, "nginx")),
                new ByteCount(31, 42)));
  }

  @Test
  void keepsAFoldedPeerFoldedInTheNextRunsWithRoomToSpare() {
    fold.fold(frontend(), Map.of(), Map.of(), 10, T0);

    EdgeFolding.Folded later = fold.fold(frontend(), Map.of(), Map.of(), 10_000, T0.plusSeconds(7));

    assertThat(later.foldedPeers()).isEqualTo(93);
    assertThat(later.dependencies().downstreams()).contains(peer("other", "", 443, "nginx"));
  }

  @Test
  void neverFoldsLocalhostBeforeAnUnnamedPeer() {
    EdgesAndListeners dependencies =
        new EdgesAndListeners(
            List.of(
                peer("localhost", "localhost", 8080, "app"),
                peer("198.18.0.1", "", 80, "app"),
                peer("198.18.0.2", "", 80, "app")),
            List.of(),
            List.of());

    assertThat(lines(fold.fold(dependencies, Map.of(), Map.of(), 2, T0).dependencies().upstreams()))
        .isEqualTo(
            """
            /other:80 app
            localhost/localhost:8080 app
            """);
  }
}
