package io.planetexporter.task.socketstat.bytes;

import io.planetexporter.task.socketstat.classify.Classifier;
import io.planetexporter.task.socketstat.classify.Direction;
import io.planetexporter.task.socketstat.classify.Edge;
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
 * bytes of every edge, through the {@link Classifier} that made the collection's series.
 *
 * <p>Not thread-safe, except {@link #overruns()} and {@link #events()}: one collection at a time.
 */
public final class ByteCounting implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(ByteCounting.class.getName());

  private final ByteCountMode mode;
  private final DestroyEvents events;
  private final ByteCountLedger ledger;

  private ByteCounting(ByteCountMode mode, DestroyEvents events, Duration retention) {
    this.mode = mode;
    this.events = events;
    this.ledger = new ByteCountLedger(retention);
  }

  /**
   * Counting as far as the source and the capabilities allow, said in one log line: destroy events
   * when the destroy groups can be joined (they are joined in the calling thread's namespace).
   */
  public static ByteCounting start(boolean enabled, SocketSource source, Duration retention) {
    if (!enabled) {
      return new ByteCounting(ByteCountMode.OFF, null, retention);
    }
    if (!(source instanceof NetlinkSocketSource)) {
      logger.info("socketstat byte counters: off, the " + source.name() + " source has none");
      return new ByteCounting(ByteCountMode.OFF, null, retention);
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
      return new ByteCounting(ByteCountMode.DESTROY_EVENTS, events, retention);
    } catch (NetlinkException e) {
      logger.log(
          Level.INFO,
          "socketstat byte counters: a connection that closes between collections counts at its"
              + " last-seen counters; the kernel refused the sock_diag destroy groups ("
              + e.getMessage()
              + ")",
          e);
      return new ByteCounting(ByteCountMode.LAST_SEEN, null, retention);
    }
  }

  public ByteCountMode mode() {
    return mode;
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
            TcpByteCount.liveIngress(table.bytesReceived(row), state));
      }
    }

    /**
     * Each edge's payload bytes after this collection.
     *
     * @param edges the edge of a closed socket (that of its namespace's {@link Classifier}), null
     *     for one that is not peered
     * @param closed the sockets announced closed, each in the state its connection was left in
     *     ({@link DestroyEvents})
     */
    public Map<Edge, ByteCount> finish(Function<Socket, Edge> edges, List<Socket> closed) {
      if (mode == ByteCountMode.OFF) {
        return Map.of();
      }
      List<ByteCountLedger.Closed> ended = new ArrayList<>();
      for (Socket socket : closed) {
        Edge edge = edges.apply(socket);
        if (edge != null) {
          ended.add(
              new ByteCountLedger.Closed(
                  socket.cookie(),
                  edge,
                  TcpByteCount.closed(
                      socket.counters(), edge.direction() == Direction.UPSTREAM, socket.state())));
        }
      }
      ledger.end(ended);
      return ledger.totals();
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
