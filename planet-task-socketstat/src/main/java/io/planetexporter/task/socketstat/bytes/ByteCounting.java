package io.planetexporter.task.socketstat.bytes;

import io.planetexporter.task.socketstat.classify.Classifier;
import io.planetexporter.task.socketstat.classify.Direction;
import io.planetexporter.task.socketstat.classify.Edge;
import io.planetexporter.task.socketstat.health.ConnectFailure;
import io.planetexporter.task.socketstat.health.EdgeHealth;
import io.planetexporter.task.socketstat.netlink.DestroyEvents;
import io.planetexporter.task.socketstat.netlink.NetlinkException;
import io.planetexporter.task.socketstat.netlink.NetlinkSocketSource;
import io.planetexporter.task.socketstat.table.Socket;
import io.planetexporter.task.socketstat.table.SocketColumns;
import io.planetexporter.task.socketstat.table.SocketSource;
import io.planetexporter.task.socketstat.table.SocketState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns each collection's sockets, and the destroy events since the last one, into the payload
 * bytes of every edge, through the {@link Classifier} that made the collection's series; and, with
 * health on, into each edge's {@link EdgeHealth}, by the same rules.
 *
 * <p>Not thread-safe, except {@link #overruns()} and {@link #events()}: one collection at a time.
 */
public final class ByteCounting implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(ByteCounting.class.getName());

  private final ByteCountMode mode;
  private final DestroyEvents events;
  private final ByteCountLedger ledger;
  private final Counted counted;

  private ByteCounting(
      ByteCountMode mode, DestroyEvents events, Duration retention, Counted counted) {
    this.mode = mode;
    this.events = events;
    this.ledger = new ByteCountLedger(retention);
    this.counted = mode == ByteCountMode.OFF ? new Counted(false, false) : counted;
  }

  /** What is served of the counting: the byte counts, the edges' health, or both. */
  public record Counted(boolean bytes, boolean health) {}

  /**
   * Counting as far as the source and the capabilities allow, said in one log line: destroy events
   * when the destroy groups can be joined (they are joined in the calling thread's namespace).
   */
  public static ByteCounting start(Counted counted, SocketSource source, Duration retention) {
    if (!counted.bytes() && !counted.health()) {
      return new ByteCounting(ByteCountMode.OFF, null, retention, counted);
    }
    if (!(source instanceof NetlinkSocketSource)) {
      logger.info(
          "socketstat byte counters and edge health: off, the "
              + source.name()
              + " source has none");
      return new ByteCounting(ByteCountMode.OFF, null, retention, counted);
    }
    try {
      DestroyEvents events = DestroyEvents.start();
      logger.info(
          "socketstat byte counters: closed connections count at their final counters, from"
              + " sock_diag destroy events (receive buffer "
              + (events.bufferBytes() >> 10)
              + " KiB"
              + (events.bufferBytes() < DestroyEvents.RECEIVE_BUFFER
                  ? ", capped by net.core.rmem_max: CAP_NET_ADMIN would allow "
                      + (DestroyEvents.RECEIVE_BUFFER >> 20)
                      + " MiB)"
                  : ")"));
      return new ByteCounting(ByteCountMode.DESTROY_EVENTS, events, retention, counted);
    } catch (NetlinkException e) {
      logger.log(
          Level.INFO,
          "socketstat byte counters: a connection that closes between collections counts at its"
              + " last-seen counters; the kernel refused the sock_diag destroy groups ("
              + e.getMessage()
              + ")",
          e);
      return new ByteCounting(ByteCountMode.LAST_SEEN, null, retention, counted);
    }
  }

  public ByteCountMode mode() {
    return mode;
  }

  /** What is served: nothing when the mode is {@link ByteCountMode#OFF}. */
  public Counted counted() {
    return counted;
  }

  /**
   * What one collection counted, as each edge's payload bytes and health; each empty when not
   * served.
   */
  public record Totals(Map<Edge, ByteCount> bytes, Map<Edge, EdgeHealth> health) {

    public Totals {
      bytes = Map.copyOf(bytes);
      health = Map.copyOf(health);
    }
  }

  /** The sockets announced closed since the last call; take them before reading the table. */
  public List<Socket> closedSinceLast() {
    return events == null ? List.of() : events.drain();
  }

  /**
   * Counting for one collection: give it the table's peered sockets, then finish it.
   *
   * @param now when the collection is
   */
  public Pass pass(Instant now) {
    return new Pass(now);
  }

  /** One collection's counting. */
  public final class Pass {

    private Pass(Instant now) {
      if (mode != ByteCountMode.OFF) {
        ledger.begin(now);
      }
    }

    /** A peered socket of the table, as its row, with the edge the classification gave it. */
    public void peered(SocketColumns table, int row, Edge edge) {
      if (mode != ByteCountMode.OFF && table.hasCounters(row)) {
        SocketState state = table.state(row);
        ledger.see(
            table.cookie(row),
            edge,
            TcpByteCount.liveEgress(
                table.bytesAcked(row),
                table.bytesSent(row),
                table.bytesRetrans(row),
                state,
                edge.direction() == Direction.UPSTREAM),
            TcpByteCount.liveIngress(table.bytesReceived(row), state),
            counted.health() ? Math.max(0, table.bytesRetrans(row)) : 0,
            counted.health() ? table.rttMicros(row) : 0);
      }
    }

    /**
     * Each edge's payload bytes and health after this collection.
     *
     * @param edges the edge of a closed socket (that of its namespace's {@link Classifier}), null
     *     for one that is not peered
     * @param closed the sockets announced closed, each in the state its connection was left in
     *     ({@link DestroyEvents})
     */
    public Totals finish(Function<Socket, Edge> edges, List<Socket> closed) {
      if (mode == ByteCountMode.OFF) {
        return new Totals(Map.of(), Map.of());
      }
      List<ByteCountLedger.Closed> ended = new ArrayList<>();
      for (Socket socket : closed) {
        Edge edge = edges.apply(socket);
        if (edge != null) {
          boolean opened = edge.direction() == Direction.UPSTREAM;
          ended.add(
              new ByteCountLedger.Closed(
                  socket.cookie(),
                  edge,
                  TcpByteCount.closed(socket.counters(), opened, socket.state()),
                  counted.health() ? Math.max(0, socket.counters().bytesRetrans()) : 0,
                  counted.health() ? ConnectFailure.of(socket.counters(), opened) : null));
        }
      }
      ledger.end(ended);
      return new Totals(
          counted.bytes() ? ledger.totals() : Map.of(),
          counted.health() ? ledger.health() : Map.of());
    }
  }

  /** Destroy events received. */
  public long events() {
    return events == null ? 0 : events.received();
  }

  /** The destroy event socket's receive buffer in bytes, 0 without one. */
  public long eventBufferBytes() {
    return events == null ? 0 : events.bufferBytes();
  }

  /** Times destroy events were lost. */
  public long overruns() {
    return events == null ? 0 : events.overruns();
  }

  @Override
  public void close() {
    if (events != null) {
      events.close();
    }
  }
}
