package io.planetexporter.task.socketstat.bytes;

import static java.util.Objects.requireNonNull;

import io.planetexporter.task.socketstat.classify.Direction;
import io.planetexporter.task.socketstat.classify.Edge;
import io.planetexporter.task.socketstat.health.ConnectFailure;
import io.planetexporter.task.socketstat.health.EdgeHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The payload bytes of every edge since the exporter started: its live connections at their latest
 * payload plus its closed ones at their final payload. Pure rules over what each collection saw;
 * not thread-safe.
 *
 * <p>The bytes a connection retransmitted are counted by the same rules, as a third direction; its
 * connect failure is counted on the edge its payload goes to, once (its destroy event is taken
 * once); the round-trip times of an edge's live connections are added up per collection ({@link
 * #health()}).
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
 * its edge's totals, so a collection hashes only new connections' labels, the sockets of a table
 * are given one by one ({@link #see}) rather than held as a list, and each edge's live payload is
 * summed as they come, so that a collection reads each connection once (a cache miss each, the most
 * of the ledger's cost). The connections are kept in columns ({@link LiveConnections}).
 */
final class ByteCountLedger {

  /** How long a vanished connection waits for a destroy event that trails it. */
  private static final Duration LATE_EVENT_WINDOW = Duration.ofMinutes(2);

  private final Duration retention;

  /** Live connections by cookie: no object, boxed key or map node for each of tens of thousands. */
  private final LiveConnections live = new LiveConnections();

  private final Map<Long, Vanished> vanished = new HashMap<>();
  private final Map<Edge, Totals> edges = new HashMap<>();

  private Instant now;

  /**
   * The totals of each edge given to {@link #see} in this collection, by identity: the labeler
   * makes one {@link Edge} per distinct series, so a socket costs no hash of its labels.
   */
  private final Map<Edge, Totals> resolved = new IdentityHashMap<>();

  /**
   * The edge last given to {@link #see} in each direction, and its totals: sockets of one edge
   * often come in runs (one listener's, one pool's), and then need no lookup in {@link #resolved}.
   */
  private final Edge[] lastEdges = new Edge[Direction.values().length];

  private final Totals[] lastTotals = new Totals[Direction.values().length];

  /**
   * The connections given to {@link #see} in the last collection and in this one, in that order:
   * the live connections are those of the last collection that are not gone, so vanished ones are
   * found by reading these arrays rather than every slot of {@link #live}. The kernel dumps an
   * unchanged socket table in the same order, so a collection mostly finds each connection where
   * the last one had it, reading arrays in sequence, and looks up by hash (a cache miss or more in
   * a map of tens of thousands) only around sockets that came or went.
   */
  private Order last = new Order();

  private Order current = new Order();

  /** Where in {@link #last} the next connection is expected. */
  private int cursor;

  ByteCountLedger(Duration retention) {
    this.retention = requireNonNull(retention, "retention");
  }

  /**
   * A connection a destroy event announced.
   *
   * @param edge its edge if it was never seen live
   * @param retransmitted the payload bytes it sent again
   * @param failure why it never became established, or null
   */
  record Closed(
      long cookie, Edge edge, ByteCount payload, long retransmitted, ConnectFailure failure) {}

  /**
   * Starts a collection: {@link #see} each live TCP connection with counters, then {@link #end}.
   */
  void begin(Instant now) {
    this.now = requireNonNull(now, "now");
    resolved.clear();
    Arrays.fill(lastEdges, null);
    Arrays.fill(lastTotals, null);
    Order swap = last;
    last = current;
    current = swap;
    current.clear();
    cursor = 0;
    for (Totals totals : edges.values()) {
      totals.liveEgress = 0;
      totals.liveIngress = 0;
      totals.liveRetransmitted = 0;
      totals.rttMicrosSum = 0;
      totals.rttConnections = 0;
    }
  }

  /**
   * A live connection of the collection's table (cookie not 0), with its edge and payload.
   *
   * @param retransmitted the payload bytes it sent again so far
   * @param rttMicros its smoothed RTT, 0 for none
   */
  void see(long cookie, Edge edge, long egress, long ingress, long retransmitted, int rttMicros) {
    int known = cursor < last.count ? last.slots[cursor] : LiveConnections.NONE;
    if (known != LiveConnections.NONE && live.cookie(known) == cookie) {
      last.seen[cursor++] = true; // read where it was expected: the one cache line it costs
    } else {
      known = live.find(cookie);
      if (known != LiveConnections.NONE && !seenNow(known)) {
        // Seen in the last collection (every live connection was), at that position.
        int position = live.position(known);
        last.seen[position] = true;
        cursor = position + 1; // sockets came or went before this one: follow it
      }
    }
    Totals totals = resolved(edge);
    boolean first; // a dump may list a socket twice
    if (known == LiveConnections.NONE) {
      known = live.add(cookie, totals);
      first = true;
    } else {
      first = !seenNow(known);
      if (!first) {
        live.totals(known).addLive(live, known, -1); // counted again below
      }
    }
    if (live.totals(known) != totals) {
      moveTo(known, totals);
    }
    live.see(known, egress, ingress, retransmitted);
    totals.addLive(live, known, 1);
    if (first) {
      live.setPosition(known, current.add(known));
      if (rttMicros > 0) {
        totals.rttMicrosSum += rttMicros;
        totals.rttConnections++;
      }
    }
    if (totals.lastActive != now) { // not a store per socket into an old object
      totals.lastActive = now;
    }
  }

  /**
   * Whether a live connection was given to {@link #see} in this collection: its position is then in
   * this collection's order, else in the last one's (which this one's does not hold at that place,
   * since it holds only connections seen in this collection).
   */
  private boolean seenNow(int slot) {
    int position = live.position(slot);
    return position < current.count && current.slots[position] == slot;
  }

  /** The totals of an edge given to {@link #see} in this collection. */
  private Totals resolved(Edge edge) {
    int direction = edge.direction().ordinal();
    if (lastEdges[direction] == edge) {
      return lastTotals[direction];
    }
    Totals totals = resolved.get(edge);
    if (totals == null) {
      totals = totals(edge, now);
      resolved.put(edge, totals);
    }
    lastEdges[direction] = edge;
    lastTotals[direction] = totals;
    return totals;
  }

  /** Ends the collection with the destroy events taken before its table was read. */
  void end(List<Closed> closed) {
    // Every live connection was seen in the last collection: those not seen again vanished.
    for (int i = 0; i < last.count; i++) {
      int slot = last.slots[i];
      if (last.seen[i] || slot == LiveConnections.NONE) {
        continue; // its connection is not read: one cache miss less per socket
      }
      long cookie = live.cookie(slot);
      Totals totals = live.totals(slot);
      vanished.put(
          cookie,
          new Vanished(
              totals.edge,
              new ByteCount(live.egress(slot), live.ingress(slot)),
              live.retransmitted(slot),
              now));
      close(slot);
    }
    for (Closed event : closed) {
      int slot = live.find(event.cookie());
      Vanished earlier = vanished.remove(event.cookie());
      Totals totals;
      if (slot != LiveConnections.NONE) {
        totals = live.totals(slot);
        totals.addLive(live, slot, -1); // seen in this collection: no longer live
        live.see(slot, event.payload().egress(), event.payload().ingress(), event.retransmitted());
        current.slots[live.position(slot)] = LiveConnections.NONE; // its slot is given again
        close(slot);
      } else if (earlier != null) {
        totals = totals(earlier.edge, now);
        totals.close(
            event.payload().beyond(earlier.counted),
            Math.max(0, event.retransmitted() - earlier.retransmitted),
            now);
      } else {
        totals = totals(event.edge(), now);
        totals.close(event.payload(), event.retransmitted(), now);
      }
      if (event.failure() != null) {
        totals.fail(event.failure(), now);
      }
    }
    // The live connections are now those of this collection's order that did not close.
    live.fit(current.slots, current.count);
    vanished.values().removeIf(v -> v.since.plus(LATE_EVENT_WINDOW).isBefore(now));
    // An edge with a live connection was made active above.
    edges.values().removeIf(totals -> totals.lastActive.plus(retention).isBefore(now));
  }

  /** Leaves all a connection counted on its edge's closed total: no longer live. */
  private void close(int slot) {
    live.totals(slot).close(live.egress(slot), live.ingress(slot), live.retransmitted(slot), now);
    live.remove(slot);
  }

  /**
   * Leaves all a connection counted so far on its old edge's closed total and takes it off the new
   * edge's, which counts it live from then on: each edge keeps what the connection added while on
   * it. So what an edge it left kept of it needs no field of its own.
   */
  private void moveTo(int slot, Totals other) {
    long egress = live.egress(slot);
    long ingress = live.ingress(slot);
    long retransmitted = live.retransmitted(slot);
    live.totals(slot).close(egress, ingress, retransmitted, now);
    other.closedEgress -= egress;
    other.closedIngress -= ingress;
    other.closedRetransmitted -= retransmitted;
    live.setTotals(slot, other);
  }

  /** Each edge's payload bytes: closed connections plus live ones. */
  Map<Edge, ByteCount> totals() {
    Map<Edge, ByteCount> totals = new HashMap<>();
    edges.forEach(
        (edge, t) ->
            totals.put(
                edge,
                new ByteCount(t.closedEgress + t.liveEgress, t.closedIngress + t.liveIngress)));
    return totals;
  }

  /** Each edge's health: closed connections plus live ones, and this collection's RTTs. */
  Map<Edge, EdgeHealth> health() {
    Map<Edge, EdgeHealth> health = new HashMap<>();
    edges.forEach(
        (edge, t) ->
            health.put(
                edge,
                new EdgeHealth(
                    t.closedRetransmitted + t.liveRetransmitted,
                    t.failures[ConnectFailure.REFUSED.ordinal()],
                    t.failures[ConnectFailure.TIMEOUT.ordinal()],
                    t.failures[ConnectFailure.OTHER.ordinal()],
                    t.rttMicrosSum,
                    t.rttConnections)));
    return health;
  }

  private Totals totals(Edge edge, Instant now) {
    return edges.computeIfAbsent(edge, e -> new Totals(e, now));
  }

  /** Connections (their slots) in the order a collection gave them. */
  private static final class Order {
    /** {@link LiveConnections#NONE} where a connection closed since and its slot was freed. */
    int[] slots = new int[0];

    /**
     * Whether the next collection saw the connection again, so that its end reads only the rest.
     */
    boolean[] seen = new boolean[0];

    int count;

    /**
     * @return the connection's place
     */
    int add(int slot) {
      if (count == slots.length) {
        slots = Arrays.copyOf(slots, Math.max(1024, count + count / 2));
        seen = Arrays.copyOf(seen, slots.length);
      }
      slots[count] = slot;
      return count++;
    }

    /** Empties it, letting go of room far beyond what it held (a table that shrank). */
    void clear() {
      if (slots.length > count + (count >> 1) + 4096) {
        slots = new int[Math.max(1024, count + (count >> 3))];
        seen = new boolean[slots.length];
      } else {
        Arrays.fill(seen, 0, count, false);
      }
      count = 0;
    }
  }

  private record Vanished(Edge edge, ByteCount counted, long retransmitted, Instant since) {}

  /**
   * An edge's closed connections, its live ones in this collection, and when it last grew or had a
   * live connection. Connect failures count only closed connections; RTTs only this collection's.
   * The closed totals are less what the live connections that came from another edge had counted
   * there ({@link #moveTo}), so that closed plus live is the edge's payload.
   */
  static final class Totals {
    final Edge edge;
    long closedEgress;
    long closedIngress;
    long liveEgress;
    long liveIngress;
    long closedRetransmitted;
    long liveRetransmitted;
    final long[] failures = new long[ConnectFailure.values().length];
    long rttMicrosSum;
    int rttConnections;
    Instant lastActive;

    Totals(Edge edge, Instant now) {
      this.edge = edge;
      this.lastActive = now;
    }

    /** Adds a live connection's payload ({@code sign} 1), or takes it off (-1). */
    void addLive(LiveConnections live, int slot, int sign) {
      liveEgress += sign * live.egress(slot);
      liveIngress += sign * live.ingress(slot);
      liveRetransmitted += sign * live.retransmitted(slot);
    }

    void close(ByteCount bytes, long retransmitted, Instant now) {
      close(bytes.egress(), bytes.ingress(), retransmitted, now);
    }

    void close(long egress, long ingress, long retransmitted, Instant now) {
      if (egress > 0 || ingress > 0 || retransmitted > 0) {
        closedEgress += egress;
        closedIngress += ingress;
        closedRetransmitted += retransmitted;
        lastActive = now;
      }
    }

    void fail(ConnectFailure reason, Instant now) {
      failures[reason.ordinal()]++;
      lastActive = now;
    }
  }
}
