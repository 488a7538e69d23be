package io.planetexporter.task.socketstat.metrics;

import com.google.common.net.InetAddresses;
import io.planetexporter.task.socketstat.bytes.ByteCount;
import io.planetexporter.task.socketstat.classify.Direction;
import io.planetexporter.task.socketstat.classify.Edge;
import io.planetexporter.task.socketstat.classify.EdgeLabels;
import io.planetexporter.task.socketstat.classify.EdgesAndListeners;
import io.planetexporter.task.socketstat.health.ConnectFailure;
import io.planetexporter.task.socketstat.health.EdgeHealth;
import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.traffic.PeerFolding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BinaryOperator;

/**
 * Holds {@code planet_upstream} and {@code planet_downstream} to a series budget by folding remote
 * peers into {@code remote_address="other"} ({@link PeerFolding}), keeping every other label: a
 * peer the inventory does not name (its remote address is an IP and it has no hostgroup) folds with
 * {@code remote_hostgroup=""}, a named one, only if that is not enough, keeps its hostgroup. A
 * peer's series are its upstreams and downstreams and their byte counters (two series per edge,
 * egress and ingress); it is one peer for all of them, so a peer folded for the gauges is folded
 * for the counters. The bytes of folded edges are added up under their {@code other} edge, so the
 * sums of {@code planet_upstream_bytes_total} and {@code planet_downstream_bytes_total} stay exact;
 * so is their health (its counters' sums, and the mean RTT over all their connections).
 */
public final class EdgeFolding {

  static final String OTHER = "other";

  private final PeerFolding<String> folding = new PeerFolding<>(Comparator.naturalOrder());

  /**
   * The dependencies after folding.
   *
   * @param dependencies upstreams and downstreams folded, listeners as given
   * @param bytes the edges' byte counters, those of folded edges added up under their other edge
   * @param health the edges' health, those of folded edges added up under their other edge
   * @param foldedPeers how many remote peers are folded
   */
  public record Folded(
      EdgesAndListeners dependencies,
      Map<Edge, ByteCount> bytes,
      Map<Edge, EdgeHealth> health,
      int foldedPeers) {}

  /**
   * The labels of a series other than the remote peer's own.
   *
   * @param series {@code ""} for the dependency gauge, else which other series of the edge: a byte
   *     counter's direction label, or a health family
   */
  private record RestKey(
      Direction direction,
      String series,
      String localHostgroup,
      String localAddress,
      int port,
      Protocol protocol,
      String processName,
      String container,
      String unit,
      String workload) {

    static RestKey of(EdgeLabels labels, Direction direction, String series) {
      return new RestKey(
          direction,
          series,
          labels.localHostgroup(),
          labels.localAddress(),
          labels.port(),
          labels.protocol(),
          labels.processName(),
          labels.container(),
          labels.unit(),
          labels.workload());
    }
  }

  /**
   * @param health the edges' health: its series count against the budget too
   */
  public Folded fold(
      EdgesAndListeners dependencies,
      Map<Edge, ByteCount> bytes,
      Map<Edge, EdgeHealth> health,
      long budget,
      Instant now) {
    PeerFolding<String>.Run run = folding.start(now);
    add(run, dependencies.upstreams(), Direction.UPSTREAM);
    add(run, dependencies.downstreams(), Direction.DOWNSTREAM);
    for (Edge edge : bytes.keySet()) {
      EdgeLabels labels = edge.labels();
      for (String series : new String[] {"egress", "ingress"}) {
        run.add(
            labels.remoteAddress(),
            isNamed(labels),
            labels.remoteHostgroup(),
            RestKey.of(labels, edge.direction(), series));
      }
    }
    health.forEach(
        (edge, edgeHealth) -> {
          for (String series : healthSeries(edge.direction(), edgeHealth)) {
            EdgeLabels labels = edge.labels();
            run.add(
                labels.remoteAddress(),
                isNamed(labels),
                labels.remoteHostgroup(),
                RestKey.of(labels, edge.direction(), series));
          }
        });
    run.fold(budget);
    if (run.foldedPeers() == 0) {
      return new Folded(dependencies, bytes, health, 0);
    }
    return new Folded(
        new EdgesAndListeners(
            folded(run, dependencies.upstreams()),
            folded(run, dependencies.downstreams()),
            dependencies.listeners()),
        folded(run, bytes, ByteCount::plus),
        folded(run, health, EdgeHealth::plus),
        run.foldedPeers());
  }

  /**
   * The health series of an edge, as {@code SocketstatMetrics} serves them: its retransmitted
   * bytes, its RTT if it has one, and an upstream's connect failures of each reason that occurred.
   */
  private static List<String> healthSeries(Direction direction, EdgeHealth health) {
    List<String> series = new ArrayList<>();
    series.add("retransmitted");
    if (health.hasRtt()) {
      series.add("rtt");
    }
    if (direction == Direction.UPSTREAM) {
      for (ConnectFailure reason : ConnectFailure.values()) {
        if (health.failures(reason) > 0) {
          series.add("failures " + reason.label());
        }
      }
    }
    return series;
  }

  /** Values by edge, those of folded edges added up under their other edge. */
  private static <T> Map<Edge, T> folded(
      PeerFolding<String>.Run run, Map<Edge, T> values, BinaryOperator<T> plus) {
    Map<Edge, T> folded = new HashMap<>();
    values.forEach(
        (edge, value) ->
            folded.merge(
                run.isFolded(edge.labels().remoteAddress())
                    ? new Edge(edge.direction(), other(edge.labels()))
                    : edge,
                value,
                plus));
    return folded;
  }

  private static void add(
      PeerFolding<String>.Run run, List<EdgeLabels> edges, Direction direction) {
    for (EdgeLabels labels : edges) {
      run.add(
          labels.remoteAddress(),
          isNamed(labels),
          labels.remoteHostgroup(),
          RestKey.of(labels, direction, ""));
    }
  }

  /** The series as the other peer's: remote address {@code other}, the rest kept. */
  private static EdgeLabels other(EdgeLabels labels) {
    return new EdgeLabels(
        labels.localHostgroup(),
        labels.remoteHostgroup(),
        labels.localAddress(),
        OTHER,
        labels.port(),
        labels.protocol(),
        labels.processName(),
        labels.container(),
        labels.unit(),
        labels.workload());
  }

  /** Named by the inventory: a domain instead of the IP, or a hostgroup ({@code localhost} too). */
  private static boolean isNamed(EdgeLabels labels) {
    return !labels.remoteHostgroup().isEmpty()
        || !InetAddresses.isInetAddress(labels.remoteAddress());
  }

  /** The series with folded peers as {@code other}, merged, in {@link EdgeLabels#ORDER}. */
  private static List<EdgeLabels> folded(PeerFolding<String>.Run run, List<EdgeLabels> edges) {
    Set<EdgeLabels> series = new LinkedHashSet<>();
    for (EdgeLabels labels : edges) {
      series.add(run.isFolded(labels.remoteAddress()) ? other(labels) : labels);
    }
    List<EdgeLabels> sorted = new ArrayList<>(series);
    sorted.sort(EdgeLabels.ORDER);
    return sorted;
  }
}
