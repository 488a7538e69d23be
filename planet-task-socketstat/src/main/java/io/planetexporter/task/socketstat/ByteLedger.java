package io.planetexporter.task.socketstat;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
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
 *       under. So nothing is counted twice, and without events (lost to a receive-buffer overrun,
 *       or refused by the kernel) the last-seen payload is what counts.
 *   <li>A connection whose edge changes (its process found later, the inventory renamed its peer)
 *       leaves what it counted so far on the old edge and adds the rest to the new one.
 *   <li>An edge with no live connection disappears once {@code retention} has passed since it last
 *       grew or last had a live connection.
 * </ul>
 *
 * <p>Sized for tens of thousands of connections per collection: a connection keeps a reference to
 * its edge's totals, so a collection hashes only new connections' labels, and the sockets of a
 * table are given one by one ({@link #see}) rather than held as a list.
 */
final class ByteLedger {

  /** How long a vanished connection waits for a destroy event that trails it. */
  private static final Duration LATE_EVENT_WINDOW = Duration.ofMinutes(2);

  private final Duration retention;

  /** Live connections by cookie: no boxed key or map node for each of tens of thousands. */
  private final LongMap<Connection> live = new LongMap<>(0);

  private final Map<Long, Vanished> vanished = new HashMap<>();
  private final Map<Edge, Totals> edges = new HashMap<>();
  private long collection;
  private Instant now;

  /**
   * The totals of each edge given to {@link #see} in this collection, by identity: the labeler
   * makes one {@link Edge} per distinct series, so a socket costs no hash of its labels.
   */
  private final Map<Edge, Totals> resolved = new IdentityHashMap<>();

  ByteLedger(Duration retention) {
    this.retention = requireNonNull(retention, "retention");
  }

  /**
   * A connection a destroy event announced.
   *
   * @param edge its edge if it was never seen live
   */
  record Closed(long cookie, Edge edge, Bytes payload) {}

  /**
   * Starts a collection: {@link #see} each live TCP connection with counters, then {@link #end}.
   */
  void begin(Instant now) {
    this.now = requireNonNull(now, "now");
    collection++;
    resolved.clear();
  }

  /** A live connection of the collection's table (cookie not 0), with its edge and payload. */
  void see(long cookie, Edge edge, long egress, long ingress) {
    Totals totals = resolved.get(edge);
    if (totals == null) {
      totals = totals(edge, now);
      resolved.put(edge, totals);
    }
    Connection known = live.get(cookie);
    if (known == null) {
      known = new Connection(totals);
      live.put(cookie, known);
    } else if (known.totals != totals) {
      known.moveTo(totals, now);
    }
    known.see(egress, ingress, collection);
    totals.lastActive = now;
  }

  /** Ends the collection with the destroy events taken before its table was read. */
  void end(List<Closed> closed) {
    List<Long> gone = new ArrayList<>();
    live.forEach(
        (cookie, connection) -> {
          if (connection.seenIn != collection) {
            connection.close(now);
            vanished.put(cookie, new Vanished(connection.totals.edge, connection.counted(), now));
            gone.add(cookie);
          }
        });
    for (long cookie : gone) {
      live.remove(cookie);
    }
    for (Closed event : closed) {
      Connection connection = live.remove(event.cookie());
      Vanished earlier = vanished.remove(event.cookie());
      if (connection != null) {
        connection.see(event.payload().egress(), event.payload().ingress(), collection);
        connection.close(now);
      } else if (earlier != null) {
        totals(earlier.edge, now).close(event.payload().beyond(earlier.counted), now);
      } else {
        totals(event.edge(), now).close(event.payload(), now);
      }
    }
    vanished.values().removeIf(v -> v.since.plus(LATE_EVENT_WINDOW).isBefore(now));
    // An edge with a live connection was made active above.
    edges.values().removeIf(totals -> totals.lastActive.plus(retention).isBefore(now));
  }

  /** Each edge's payload bytes: closed connections plus live ones. */
  Map<Edge, Bytes> totals() {
    for (Totals t : edges.values()) {
      t.liveEgress = 0;
      t.liveIngress = 0;
    }
    live.forEach(
        (cookie, connection) -> {
          connection.totals.liveEgress += connection.egress - connection.baseEgress;
          connection.totals.liveIngress += connection.ingress - connection.baseIngress;
        });
    Map<Edge, Bytes> totals = new HashMap<>();
    edges.forEach(
        (edge, t) ->
            totals.put(
                edge, new Bytes(t.closedEgress + t.liveEgress, t.closedIngress + t.liveIngress)));
    return totals;
  }

  private Totals totals(Edge edge, Instant now) {
    return edges.computeIfAbsent(edge, e -> new Totals(e, now));
  }

  /** A live connection: the largest payload seen, and what edges it left kept of it (its base). */
  private static final class Connection {
    Totals totals;
    long egress;
    long ingress;
    long baseEgress;
    long baseIngress;
    long seenIn;

    Connection(Totals totals) {
      this.totals = totals;
    }

    void see(long egress, long ingress, long collection) {
      this.egress = Math.max(this.egress, egress);
      this.ingress = Math.max(this.ingress, ingress);
      seenIn = collection;
    }

    Bytes counted() {
      return new Bytes(egress, ingress);
    }

    /** Leaves what it counted so far on its edge's closed total. */
    void close(Instant now) {
      totals.close(new Bytes(egress - baseEgress, ingress - baseIngress), now);
      baseEgress = egress;
      baseIngress = ingress;
    }

    void moveTo(Totals other, Instant now) {
      close(now);
      totals = other;
    }
  }

  private record Vanished(Edge edge, Bytes counted, Instant since) {}

  /** An edge's closed connections, and when it last grew or had a live connection. */
  private static final class Totals {
    final Edge edge;
    long closedEgress;
    long closedIngress;
    long liveEgress;
    long liveIngress;
    Instant lastActive;

    Totals(Edge edge, Instant now) {
      this.edge = edge;
      this.lastActive = now;
    }

    void close(Bytes bytes, Instant now) {
      if (bytes.egress() > 0 || bytes.ingress() > 0) {
        closedEgress += bytes.egress();
        closedIngress += bytes.ingress();
        lastActive = now;
      }
    }
  }
}
