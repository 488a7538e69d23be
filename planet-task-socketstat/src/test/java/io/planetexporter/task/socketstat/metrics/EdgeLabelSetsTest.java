package io.planetexporter.task.socketstat.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.task.socketstat.classify.EdgeLabels;
import io.planetexporter.task.socketstat.health.ConnectFailure;
import io.planetexporter.task.socketstat.table.Protocol;
import io.prometheus.metrics.model.snapshots.Labels;
import org.assertj.core.api.ObjectAssert;
import org.junit.jupiter.api.Test;

class EdgeLabelSetsTest {

  private final EdgeLabelSets sets = new EdgeLabelSets();

  /** Labels is both Comparable and Iterable: asserted as an object, by equals and identity. */
  private static ObjectAssert<Object> that(Labels labels) {
    return assertThat((Object) labels);
  }

  private static EdgeLabels edge(String remote) {
    return new EdgeLabels(
        "web", "db", "198.18.0.1", remote, 5432, Protocol.TCP, "psql", "c1", "", "shop/checkout");
  }

  @Test
  void namesEveryLabelOfTheEdgeAndItsVariants() {
    Labels plain =
        Labels.of(
            "local_hostgroup", "web",
            "remote_hostgroup", "db",
            "local_address", "198.18.0.1",
            "remote_address", "198.18.0.2",
            "port", "5432",
            "protocol", "tcp",
            "process_name", "psql",
            "container", "c1",
            "unit", "",
            "workload", "shop/checkout");

    that(sets.of(edge("198.18.0.2"))).isEqualTo(plain);
    that(sets.withDirection(edge("198.18.0.2"), true)).isEqualTo(plain.add("direction", "egress"));
    that(sets.withDirection(edge("198.18.0.2"), false))
        .isEqualTo(plain.add("direction", "ingress"));
    that(sets.withReason(edge("198.18.0.2"), ConnectFailure.TIMEOUT))
        .isEqualTo(plain.add("reason", "timeout"));
  }

  @Test
  void anEdgeServedInTheLastCollectionGetsTheSameSets() {
    Labels plain = sets.of(edge("198.18.0.2"));
    Labels egress = sets.withDirection(edge("198.18.0.2"), true);
    Labels refused = sets.withReason(edge("198.18.0.2"), ConnectFailure.REFUSED);
    sets.endRun();

    // An equal record, not the same one: collections make their edges afresh.
    that(sets.of(edge("198.18.0.2"))).isSameAs(plain);
    that(sets.withDirection(edge("198.18.0.2"), true)).isSameAs(egress);
    that(sets.withReason(edge("198.18.0.2"), ConnectFailure.REFUSED)).isSameAs(refused);
    that(sets.withReason(edge("198.18.0.2"), ConnectFailure.OTHER))
        .isNotEqualTo(refused)
        .isEqualTo(plain.add("reason", "other"));
  }

  @Test
  void anEdgeAbsentFromACollectionIsForgotten() {
    Labels first = sets.of(edge("198.18.0.2"));
    sets.endRun();
    sets.of(edge("198.18.0.3"));
    sets.endRun();

    Labels again = sets.of(edge("198.18.0.2"));

    that(again).isEqualTo(first).isNotSameAs(first);
    that(sets.of(edge("198.18.0.3"))).isSameAs(sets.of(edge("198.18.0.3")));
  }
}
