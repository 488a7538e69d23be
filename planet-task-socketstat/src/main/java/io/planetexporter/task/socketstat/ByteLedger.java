package io.planetexporter.task.socketstat;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The payload bytes of every edge since the exporter started: its live connections at their latest
 * payload plus its closed ones at their final payload. Pure rules over what each collection saw;
 * not thread-safe.
 *
 * <ul>
 *   <li>A live connection (by cookie) counts at the largest payload seen for it, so a counter never
 *       decreases.
 *   <li>One that is no longer live is closed at its last-seen payload; if a destroy event for it
 *       comes later (it may trail the dump, or this collection's events), only what the event has
 *       beyond that is added. An event for a live connection closes it at the event's payload. An
 *       event for a connection never seen live adds its payload to the edge the event is classified
 *       under. So nothing is counted twice, and without events (no capability, or lost to a
 *       receive-buffer overrun) the last-seen payload is what counts.
 *   <li>A connection whose edge changes (its process found later, the inventory renamed its peer)
 *       leaves what it counted so far on the old edge and adds the rest to the new one.
 *   <li>An edge with no live connection disappears once {@code retention} has passed since it last
 *       grew or last had a live connection.
 * </ul>
 */
final class ByteLedger {

  /** How long a vanished connection waits for a destroy event that trails it. */
  private static final Duration LATE_EVENT_WINDOW = Duration.ofMinutes(2);

  private final Duration retention;
  private final Map<Long, Connection> live = new HashMap<>();
  private final Map<Long, Vanished> vanished = new HashMap<>();
  private final Map<Edge, Totals> edges = new HashMap<>();

  ByteLedger(Duration retention) {
    this.retention = requireNonNull(retention, "retention");
  }

  /** A connection of the latest table, with its edge and payload. */
  record Seen(long cookie, Edge edge, Bytes payload) {}

  /**
   * A connection a destroy event announced.
   *
   * @param edge its edge if it was never seen live
   */
  record Closed(long cookie, Edge edge, Bytes payload) {}

  /** Takes one collection: every live TCP connection with counters, and the events since. */
  void update(List<Seen> seen, List<Closed> closed, Instant now) {
    Map<Long, Connection> previous = new HashMap<>(live);
    live.clear();
    for (Seen connection : seen) {
      Connection known = previous.remove(connection.cookie());
      if (known == null) {
        known = new Connection(connection.edge(), Bytes.ZERO, Bytes.ZERO);
      } else if (!known.edge.equals(connection.edge())) {
        totals(known.edge, now).close(known.counted.beyond(known.base), now);
        known = new Connection(connection.edge(), known.counted, known.counted);
      }
      known.counted = known.counted.max(connection.payload());
      live.put(connection.cookie(), known);
      totals(known.edge, now).touch(now);
    }
    for (Map.Entry<Long, Connection> gone : previous.entrySet()) {
      Connection connection = gone.getValue();
      totals(connection.edge, now).close(connection.counted.beyond(connection.base), now);
      vanished.put(gone.getKey(), new Vanished(connection.edge, connection.counted, now));
    }
    for (Closed event : closed) {
      Connection connection = live.remove(event.cookie());
      Vanished earlier = vanished.remove(event.cookie());
      if (connection != null) {
        Bytes last = connection.counted.max(event.payload());
        totals(connection.edge, now).close(last.beyond(connection.base), now);
      } else if (earlier != null) {
        totals(earlier.edge, now).close(event.payload().beyond(earlier.counted), now);
      } else {
        totals(event.edge(), now).close(event.payload(), now);
      }
    }
    vanished.values().removeIf(v -> v.since.plus(LATE_EVENT_WINDOW).isBefore(now));
    for (Iterator<Totals> it = edges.values().iterator(); it.hasNext(); ) {
      Totals totals = it.next();
      if (totals.lastActive.plus(retention).isBefore(now)) {
        it.remove(); // an edge with a live connection was touched above
      }
    }
  }

  /** Each edge's payload bytes: closed connections plus live ones. */
  Map<Edge, Bytes> totals() {
    Map<Edge, Bytes> totals = new HashMap<>();
    edges.forEach((edge, t) -> totals.put(edge, t.closed));
    for (Connection connection : live.values()) {
      totals.merge(connection.edge, connection.counted.beyond(connection.base), Bytes::plus);
    }
    return totals;
  }

  private Totals totals(Edge edge, Instant now) {
    return edges.computeIfAbsent(edge, e -> new Totals(now));
  }

  /** A live connection: its edge, the largest payload seen, what earlier edges kept of it. */
  private static final class Connection {
    final Edge edge;
    Bytes counted;
    final Bytes base;

    Connection(Edge edge, Bytes counted, Bytes base) {
      this.edge = edge;
      this.counted = counted;
      this.base = base;
    }
  }

  private record Vanished(Edge edge, Bytes counted, Instant since) {}

  /** An edge's closed connections, and when it last grew or had a live connection. */
  private static final class Totals {
    Bytes closed = Bytes.ZERO;
    Instant lastActive;

    Totals(Instant now) {
      this.lastActive = now;
    }

    void close(Bytes bytes, Instant now) {
      if (bytes.egress() > 0 || bytes.ingress() > 0) {
        closed = closed.plus(bytes);
        lastActive = now;
      }
    }

    void touch(Instant now) {
      lastActive = now;
    }
  }
}
