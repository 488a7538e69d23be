package io.planetexporter.task.socketstat.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.task.socketstat.table.Socket;
import io.planetexporter.task.socketstat.table.SocketState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the destroy event thread keeps of a datagram, and that nothing in one stops it: on events
 * captured from this machine's kernel (see {@code CloseOrdersTest}'s fixtures), handled by a
 * listener whose thread is not started, with a lookup the test gives.
 */
class DestroyEventsTest {

  /** An event with nothing unread: looked up. */
  private static final String DRAINED = "client-shuts-down-drains-closes/client-destroyed.bin";

  /** An event with the peer's FIN unread: not looked up. */
  private static final String FIN_UNREAD = "client-closes-first/client-destroyed.bin";

  private final List<LogRecord> logged = new ArrayList<>();
  private final Logger logger = Logger.getLogger(DestroyEvents.class.getName());
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private DestroyEvents events;

  @BeforeEach
  void listener() throws NetlinkException {
    logger.addHandler(handler);
    events = new DestroyEvents(NetlinkSocket.open(0), NetlinkSocket.open(0), 0);
  }

  @AfterEach
  void close() {
    events.close();
    logger.removeHandler(handler);
  }

  static byte[] event(String name) throws IOException {
    String path = "/io/planetexporter/task/socketstat/bytes/CloseOrdersTest/" + name;
    try (InputStream in = DestroyEventsTest.class.getResourceAsStream(path)) {
      return in.readAllBytes();
    }
  }

  /** The messages one after the other, each aligned to 4 bytes, as the kernel sends them. */
  static ByteBuffer datagram(byte[]... messages) {
    int length = 0;
    for (byte[] message : messages) {
      length += (message.length + 3) & ~3;
    }
    ByteBuffer datagram = ByteBuffer.allocate(length);
    for (byte[] message : messages) {
      datagram.put(message).position((datagram.position() + 3) & ~3);
    }
    return datagram.flip();
  }

  /** The event with its tcp_info's {@code bytes_received} at 2^63 (read as negative). */
  static byte[] withReceivedBeyondALong(byte[] event) {
    byte[] bent = event.clone();
    ByteBuffer in = ByteBuffer.wrap(bent).order(ByteOrder.nativeOrder());
    int at = InetDiag.NLMSG_HEADER + InetDiag.MESSAGE_LENGTH;
    while ((in.getShort(at + 2) & 0x7fff) != 2) {
      at += (in.getShort(at) + 3) & ~3;
    }
    in.putLong(at + 4 + 128, Long.MIN_VALUE);
    return bent;
  }

  @Test
  void keepsEachSocketInTheStateItsConnectionWasLeftIn() throws IOException {
    List<Socket> looked = new ArrayList<>();

    events.handle(
        datagram(event(DRAINED), event(FIN_UNREAD)),
        closed -> {
          looked.add(closed);
          return SocketState.TIME_WAIT;
        });

    List<Socket> kept = events.drain();
    assertThat(kept)
        .extracting(Socket::state)
        .containsExactly(SocketState.TIME_WAIT, SocketState.CLOSE);
    assertThat(looked).extracting(Socket::cookie).containsExactly(kept.get(0).cookie());
    assertThat(events.received()).isEqualTo(2);
    assertThat(events.overruns()).isZero();
  }

  @Test
  void keepsAnEventWhoseLookupFailedAsIfNothingWasLeftAndLogsOnce() throws IOException {
    for (int i = 0; i < 3; i++) {
      events.handle(
          datagram(event(DRAINED), event(FIN_UNREAD)),
          closed -> {
            throw new IllegalStateException("the lookup failed");
          });
    }

    assertThat(events.drain()).hasSize(6).extracting(Socket::state).containsOnly(SocketState.CLOSE);
    assertThat(events.overruns()).isZero();
    assertThat(logged)
        .filteredOn(r -> r.getLevel() == Level.WARNING)
        .singleElement()
        .satisfies(r -> assertThat(r.getMessage()).contains("listening goes on"))
        .satisfies(r -> assertThat(r.getThrown()).hasMessage("the lookup failed"));
  }

  @Test
  void countsAnEventWhoseCountersDoNotFitAsLostAndKeepsTheNext() throws IOException {
    events.handle(
        datagram(withReceivedBeyondALong(event(FIN_UNREAD)), event(FIN_UNREAD)),
        closed -> SocketState.CLOSE);

    assertThat(events.drain()).singleElement().satisfies(s -> assertThat(s.counters()).isNotNull());
    assertThat(events.overruns()).isEqualTo(1);
  }

  @Test
  void countsADatagramThatIsNotEventsAsLost() {
    ByteBuffer error = ByteBuffer.allocate(36).order(ByteOrder.nativeOrder());
    error.putInt(36).putShort((short) InetDiag.NLMSG_ERROR).putShort((short) 0);
    error.putInt(0).putInt(0).putInt(-22).position(0);

    events.handle(error, closed -> SocketState.CLOSE);

    assertThat(events.drain()).isEmpty();
    assertThat(events.overruns()).isEqualTo(1);
  }
}
