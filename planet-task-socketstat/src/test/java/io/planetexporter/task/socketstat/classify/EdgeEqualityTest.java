package io.planetexporter.task.socketstat.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.task.socketstat.table.Protocol;
import org.junit.jupiter.api.Test;

/**
 * The written-out equals and hashCode of {@link EdgeLabels} and {@link Edge}: every part counts.
 */
class EdgeEqualityTest {

  /** The ten parts of an {@link EdgeLabels}, in the order of its components. */
  private static final Object[] PARTS = {
    "web", "db", "10.0.0.1", "10.0.0.2", 5432, Protocol.TCP, "app", "c1", "u.service", "w"
  };

  /** For each part, another value. */
  private static final Object[] OTHER_PARTS = {
    "x", "x", "x", "x", 5433, Protocol.UDP, "x", "x", "x", "x"
  };

  private static final EdgeLabels LABELS = labels(PARTS);

  private static EdgeLabels labels(Object[] parts) {
    return new EdgeLabels(
        (String) parts[0],
        (String) parts[1],
        (String) parts[2],
        (String) parts[3],
        (Integer) parts[4],
        (Protocol) parts[5],
        (String) parts[6],
        (String) parts[7],
        (String) parts[8],
        (String) parts[9]);
  }

  @Test
  void equalPartsMakeEqualLabelsWithEqualHashes() {
    Object[] copies = PARTS.clone();
    for (int i = 0; i < copies.length; i++) {
      if (copies[i] instanceof String part) {
        copies[i] = new String(part); // equality by value, not by reference
      }
    }
    EdgeLabels copy = labels(copies);

    assertThat(copy).isEqualTo(LABELS).hasSameHashCodeAs(LABELS);
    assertThat(new Edge(Direction.UPSTREAM, copy))
        .isEqualTo(new Edge(Direction.UPSTREAM, LABELS))
        .hasSameHashCodeAs(new Edge(Direction.UPSTREAM, LABELS));
  }

  @Test
  void labelsDifferingInAnyOnePartDiffer() {
    for (int i = 0; i < PARTS.length; i++) {
      Object[] parts = PARTS.clone();
      parts[i] = OTHER_PARTS[i];
      EdgeLabels other = labels(parts);

      assertThat(other).as("part %d changed", i).isNotEqualTo(LABELS);
      assertThat(LABELS).as("part %d changed", i).isNotEqualTo(other);
      assertThat(other.hashCode()).as("part %d changed", i).isNotEqualTo(LABELS.hashCode());
      assertThat(new Edge(Direction.UPSTREAM, other))
          .as("part %d changed", i)
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
