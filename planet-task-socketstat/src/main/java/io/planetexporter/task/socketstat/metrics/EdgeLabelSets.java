package io.planetexporter.task.socketstat.metrics;

import io.planetexporter.task.socketstat.classify.EdgeLabels;
import io.planetexporter.task.socketstat.health.ConnectFailure;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.HashMap;
import java.util.Map;

/**
 * The label sets of the edge series, kept from one collection to the next for the edges that are
 * still there.
 *
 * <p>Why: a collection serves each edge in up to five families, and client_java's {@code Labels.of}
 * and {@code add} check every name and copy both arrays. Made afresh, the sets were 40 % of what
 * socketstat allocated in the soak, and lived as long as the served snapshot, so each collection
 * promoted them into the old generation only for the next to drop them. Reused, a collection
 * promotes its data points only.
 *
 * <p>Used by the one thread that runs the task.
 */
final class EdgeLabelSets {

  private static final String[] NAMES = {
    "local_hostgroup",
    "remote_hostgroup",
    "local_address",
    "remote_address",
    "port",
    "protocol",
    "process_name",
    "container",
    "unit",
    "workload"
  };

  /** Slots of an edge's sets: without extra label, with direction egress, ingress, then reasons. */
  private static final int PLAIN = 0;

  private static final int EGRESS = 1;
  private static final int INGRESS = 2;
  private static final int FIRST_REASON = 3;
  private static final int SLOTS = FIRST_REASON + ConnectFailure.values().length;

  private Map<EdgeLabels, Labels[]> lastRun = new HashMap<>();
  private Map<EdgeLabels, Labels[]> thisRun = new HashMap<>();

  /** The edge's labels. */
  Labels of(EdgeLabels edge) {
    return sets(edge)[PLAIN];
  }

  /** The edge's labels and {@code direction}. */
  Labels withDirection(EdgeLabels edge, boolean egress) {
    return variant(edge, egress ? EGRESS : INGRESS, "direction", egress ? "egress" : "ingress");
  }

  /** The edge's labels and {@code reason}. */
  Labels withReason(EdgeLabels edge, ConnectFailure reason) {
    return variant(edge, FIRST_REASON + reason.ordinal(), "reason", reason.label());
  }

  /** The edge's labels and one more, made once in the slot for it. */
  private Labels variant(EdgeLabels edge, int slot, String name, String value) {
    Labels[] sets = sets(edge);
    if (sets[slot] == null) {
      sets[slot] = sets[PLAIN].add(name, value);
    }
    return sets[slot];
  }

  /** Ends a collection: the next one reuses only the sets of the edges this one served. */
  void endRun() {
    lastRun = thisRun;
    thisRun = new HashMap<>(lastRun.size() * 4 / 3 + 1);
  }

  private Labels[] sets(EdgeLabels edge) {
    Labels[] sets = thisRun.get(edge);
    if (sets == null) {
      sets = lastRun.get(edge);
      if (sets == null) {
        sets = new Labels[SLOTS];
        sets[PLAIN] = Labels.of(NAMES, values(edge));
      }
      thisRun.put(edge, sets);
    }
    return sets;
  }

  private static String[] values(EdgeLabels edge) {
    return new String[] {
      edge.localHostgroup(),
      edge.remoteHostgroup(),
      edge.localAddress(),
      edge.remoteAddress(),
      Integer.toString(edge.port()),
      edge.protocol().label(),
      edge.processName(),
      edge.container(),
      edge.unit(),
      edge.workload()
    };
  }
}
