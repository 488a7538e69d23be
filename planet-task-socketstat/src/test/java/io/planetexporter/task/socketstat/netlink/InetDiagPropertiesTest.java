package io.planetexporter.task.socketstat.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.RecentAddresses;
import io.planetexporter.task.socketstat.table.Socket;
import io.planetexporter.task.socketstat.table.SocketColumns;
import io.planetexporter.task.socketstat.table.SocketState;
import io.planetexporter.task.socketstat.table.TcpInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The sock_diag decoders cannot be thrown off: for random bytes, and for messages captured from the
 * kernel (every fixture of {@code InetDiagTest} and {@code CloseOrdersTest}) with bits flipped,
 * bytes or length fields overwritten, cut short or run on, decoding a dump, a destroy event or a
 * lookup's answer gives sockets (with counters no kernel could count beyond 2^63 dropped), or the
 * documented {@link NetlinkException} for {@code NLMSG_ERROR}: never another exception, never a
 * hang; and the destroy event thread's handling of such a datagram never throws.
 *
 * <p>{@code mvn verify} runs jqwik's default of 1,000 tries per property (a few seconds); before a
 * release run many more: {@code mvn -B -o verify -pl planet-task-socketstat -am
 * -Dtest=InetDiagPropertiesTest -Dsurefire.failIfNoSpecifiedTests=false -DskipITs
 * -Djqwik.tries.default=200000} (docs/tasks.md).
 */
class InetDiagPropertiesTest {

  private static final Duration PATIENCE = Duration.ofSeconds(2);

  /** Every captured message: the seeds of the mutations. */
  private static final List<byte[]> CAPTURED = captured();

  private static DestroyEvents events;

  @BeforeContainer
  static void listener() throws NetlinkException {
    events = new DestroyEvents(NetlinkSocket.open(0), NetlinkSocket.open(0), 0);
  }

  @AfterContainer
  static void closeListener() {
    events.close();
  }

  private static List<byte[]> captured() {
    try {
      Path root =
          Path.of(InetDiagPropertiesTest.class.getResource("/io/planetexporter/task").toURI());
      try (Stream<Path> files = Files.walk(root)) {
        return files
            .filter(f -> f.toString().endsWith(".bin"))
            .sorted()
            .map(
                f -> {
                  try {
                    return Files.readAllBytes(f);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                })
            .toList();
      }
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("cannot read the captured messages", e);
    }
  }

  @Property
  void randomBytesDecodeOrFailAsDocumented(@ForAll("randomBytes") byte[] bytes) {
    assertDecodes(bytes);
  }

  @Property
  void mutatedMessagesDecodeOrFailAsDocumented(@ForAll("mutatedMessages") byte[] bytes) {
    assertDecodes(bytes);
  }

  @Provide
  Arbitrary<byte[]> randomBytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(2048);
  }

  /** One to three captured messages, one after the other, then one to four mutations. */
  @Provide
  Arbitrary<byte[]> mutatedMessages() {
    Arbitrary<byte[]> datagram =
        Arbitraries.of(CAPTURED)
            .list()
            .ofMinSize(1)
            .ofMaxSize(3)
            .map(InetDiagPropertiesTest::concatenated);
    return Combinators.combine(datagram, mutation().list().ofMinSize(1).ofMaxSize(4))
        .as(
            (bytes, mutations) -> {
              byte[] mutated = bytes;
              for (Mutation mutation : mutations) {
                mutated = mutation.apply(mutated);
              }
              return mutated;
            });
  }

  /** A change to a message, at a place given as a fraction of its length. */
  private interface Mutation {
    byte[] apply(byte[] bytes);
  }

  private static Arbitrary<Mutation> mutation() {
    Arbitrary<Double> where = Arbitraries.doubles().between(0, 1);
    // Lengths and counts at their edges: nothing, too short, odd, huge, negative read as signed.
    Arbitrary<Integer> edgy =
        Arbitraries.oneOf(
            Arbitraries.of(0, 1, 3, 4, 15, 16, 71, 72, 73, 0x7fff, 0xffff, -1, Integer.MIN_VALUE),
            Arbitraries.integers());
    return Arbitraries.oneOf(
        Combinators.combine(where, Arbitraries.integers().between(0, 7))
            .as((at, bit) -> bytes -> flipped(bytes, at, bit)),
        Combinators.combine(where, Arbitraries.bytes())
            .as((at, value) -> bytes -> overwritten(bytes, at, new byte[] {value})),
        Combinators.combine(where, edgy)
            .as((at, value) -> bytes -> overwritten(bytes, at, shortBytes(value))),
        Combinators.combine(where, edgy)
            .as((at, value) -> bytes -> overwritten(bytes, at, intBytes(value))),
        Combinators.combine(where, Arbitraries.longs())
            .as((at, value) -> bytes -> overwritten(bytes, at, longBytes(value))),
        where.map(at -> bytes -> java.util.Arrays.copyOf(bytes, index(bytes, at))),
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMaxSize(200)
            .map(tail -> bytes -> concatenated(List.of(bytes, tail))));
  }

  private static int index(byte[] bytes, double at) {
    return (int) Math.min(bytes.length, Math.floor(at * bytes.length));
  }

  private static byte[] flipped(byte[] bytes, double at, int bit) {
    byte[] copy = bytes.clone();
    int i = Math.min(index(bytes, at), copy.length - 1);
    if (i >= 0) {
      copy[i] ^= (byte) (1 << bit);
    }
    return copy;
  }

  private static byte[] overwritten(byte[] bytes, double at, byte[] value) {
    byte[] copy = bytes.clone();
    int from = index(bytes, at);
    for (int i = 0; i < value.length && from + i < copy.length; i++) {
      copy[from + i] = value[i];
    }
    return copy;
  }

  private static byte[] shortBytes(int value) {
    return ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) value).array();
  }

  private static byte[] intBytes(int value) {
    return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
  }

  private static byte[] longBytes(long value) {
    return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(value).array();
  }

  /** The messages one after the other, each aligned to 4 bytes as in a datagram. */
  private static byte[] concatenated(List<byte[]> messages) {
    return DestroyEventsTest.datagram(messages.toArray(byte[][]::new)).array();
  }

  /** Decodes as every reader does, within the patience, failing on anything undocumented. */
  private static void assertDecodes(byte[] bytes) {
    assertTimeoutPreemptively(
        PATIENCE,
        () -> {
          for (Protocol protocol : Protocol.values()) {
            SocketColumns sockets = new SocketColumns(0);
            try {
              InetDiag.decode(
                  ByteBuffer.wrap(bytes), protocol, new RecentAddresses(), sockets, () -> {});
            } catch (NetlinkException documented) {
              // NLMSG_ERROR: the kernel's answer to a request
            }
            for (Socket socket : sockets) { // each row made into objects, as the events are
              TcpInfo counters = socket.counters();
              if (counters != null) {
                assertThat(counters.bytesAcked()).isNotNegative();
                assertThat(counters.bytesReceived()).isNotNegative();
              }
            }
          }
          try {
            assertThat(
                    DestroyEvents.leftBehind(
                        ByteBuffer.wrap(bytes), new RecentAddresses(), new SocketColumns(1)))
                .isIn(SocketState.CLOSE, SocketState.TIME_WAIT, SocketState.FIN_WAIT2);
          } catch (NetlinkException documented) {
            // NLMSG_ERROR other than ENOENT
          }
          events.handle(ByteBuffer.wrap(bytes), closed -> SocketState.TIME_WAIT);
          events.drain();
        });
  }
}
