package io.planetexporter.task.socketstat.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.task.socketstat.table.Protocol;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The written-out equals and hashCode of {@link EdgeLabels} and {@link Edge}: every part counts.
 */
class EdgeEqualityTest {

  private static final EdgeLabels LABELS =
      labels(
          "web", "db", "10.0.0.1", "10.0.0.2", 5432, Protocol.TCP, "app", "c1", "u.service", "w");

  private static EdgeLabels labels(
      String localHostgroup,
      String remoteHostgroup,
      String localAddress,
      String remoteAddress,
      int port,
      Protocol protocol,
      String processName,
      String container,
      String unit,
      String workload) {
    return new EdgeLabels(
        localHostgroup,
        remoteHostgroup,
        localAddress,
        remoteAddress,
        port,
        protocol,
        processName,
        container,
        unit,
        workload);
  }

  /** Each variant differs from {@link #LABELS} in one part. */
  private static final List<UnaryOperator<EdgeLabels>> ONE_PART_CHANGED =
      List.of(
          l ->
              labels(
                  "x",
                  l.remoteHostgroup(),
                  l.localAddress(),
                  l.remoteAddress(),
                  l.port(),
                  l.protocol(),
                  l.processName(),
                  l.container(),
                  l.unit(),
                  l.workload()),
          l ->
              labels(
                  l.localHostgroup(),
                  "x",
                  l.localAddress(),
                  l.remoteAddress(),
                  l.port(),
                  l.protocol(),
                  l.processName(),
                  l.container(),
                  l.unit(),
                  l.workload()),
          l ->
              labels(
                  l.localHostgroup(),
                  l.remoteHostgroup(),
                  "x",
                  l.remoteAddress(),
                  l.port(),
                  l.protocol(),
                  l.processName(),
                  l.container(),
                  l.unit(),
                  l.workload()),
          l ->
              labels(
                  l.localHostgroup(),
                  l.remoteHostgroup(),
                  l.localAddress(),
                  "x",
                  l.port(),
                  l.protocol(),
                  l.processName(),
                  l.container(),
                  l.unit(),
                  l.workload()),
          l ->
              labels(
                  l.localHostgroup(),
                  l.remoteHostgroup(),
                  l.localAddress(),
                  l.remoteAddress(),
                  l.port() + 1,
                  l.protocol(),
                  l.processName(),
                  l.container(),
                  l.unit(),
                  l.workload()),
          l ->
              labels(
                  l.localHostgroup(),
                  l.remoteHostgroup(),
                  l.localAddress(),
                  l.remoteAddress(),
                  l.port(),
                  Protocol.UDP,
                  l.processName(),
                  l.container(),
                  l.unit(),
                  l.workload()),
          l ->
              labels(
                  l.localHostgroup(),
                  l.remoteHostgroup(),
                  l.localAddress(),
                  l.remoteAddress(),
                  l.port(),
                  l.protocol(),
                  "x",
                  l.container(),
                  l.unit(),
                  l.workload()),
          l ->
              labels(
                  l.localHostgroup(),
                  l.remoteHostgroup(),
                  l.localAddress(),
                  l.remoteAddress(),
                  l.port(),
                  l.protocol(),
                  l.processName(),
                  "x",
                  l.unit(),
                  l.workload()),
          l ->
              labels(
                  l.localHostgroup(),
                  l.remoteHostgroup(),
                  l.localAddress(),
                  l.remoteAddress(),
                  l.port(),
                  l.protocol(),
                  l.processName(),
                  l.container(),
                  "x",
                  l.workload()),
          l ->
              labels(
                  l.localHostgroup(),
                  l.remoteHostgroup(),
                  l.localAddress(),
                  l.remoteAddress(),
                  l.port(),
                  l.protocol(),
                  l.processName(),
                  l.container(),
                  l.unit(),
                  "x"));

  @Test
  void equalPartsMakeEqualLabelsWithEqualHashes() {
    // New string objects: equality by value, not by reference.
    EdgeLabels copy =
        labels(
            new String("web"),
            new String("db"),
            new String("10.0.0.1"),
            new String("10.0.0.2"),
            5432,
            Protocol.TCP,
            new String("app"),
            new String("c1"),
            new String("u.service"),
            new String("w"));

    assertThat(copy).isEqualTo(LABELS).hasSameHashCodeAs(LABELS);
    assertThat(new Edge(Direction.UPSTREAM, copy))
        .isEqualTo(new Edge(Direction.UPSTREAM, LABELS))
        .hasSameHashCodeAs(new Edge(Direction.UPSTREAM, LABELS));
  }

  @Test
  void labelsDifferingInAnyOnePartDiffer() {
    for (UnaryOperator<EdgeLabels> change : ONE_PART_CHANGED) {
      EdgeLabels other = change.apply(LABELS);

      assertThat(other).isNotEqualTo(LABELS);
      assertThat(LABELS).isNotEqualTo(other);
      assertThat(other.hashCode()).isNotEqualTo(LABELS.hashCode());
      assertThat(new Edge(Direction.UPSTREAM, other))
          .isNotEqualTo(new Edge(Direction.UPSTREAM, LABELS));
    }
  }

  @Test
  void edgesDifferByDirection() {
    assertThat(new Edge(Direction.UPSTREAM, LABELS))
        .isNotEqualTo(new Edge(Direction.DOWNSTREAM, LABELS))
        .isNotEqualTo(LABELS)
        .isNotEqualTo(null);
    assertThat(LABELS).isNotEqualTo(null).isNotEqualTo("web");
  }
}
