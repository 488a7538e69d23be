package io.planetexporter.task.socketstat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.planetexporter.api.Host;
import io.planetexporter.api.testing.TestInventory;
import io.planetexporter.task.socketstat.HostDependencies.ByteCount;
import io.planetexporter.task.socketstat.HostDependencies.Dependency;
import io.planetexporter.task.socketstat.HostDependencies.Listener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Socketstat} on this machine's kernel, through its public API only: a TCP connection that
 * the test opens on loopback, with a known number of bytes each way, is reported as a listener, an
 * upstream and a downstream of this JVM ({@code java}), with its bytes from netlink.
 */
class SocketstatLibraryIT {

  private static final int SENT_BY_CLIENT = 12_345;
  private static final int SENT_BY_SERVER = 54_321;
  private static final InetAddress PRIMARY_IP = address("198.18.0.1");

  private ServerSocket listener;
  private Socket client;
  private Socket accepted;
  private int port;

  @BeforeEach
  void exchangeBytesOverALoopbackConnection() throws IOException {
    listener = new ServerSocket(0, 1, address("127.0.0.1"));
    port = listener.getLocalPort();
    client = new Socket(listener.getInetAddress(), port);
    accepted = listener.accept();
    client.getOutputStream().write(new byte[SENT_BY_CLIENT]);
    assertThat(accepted.getInputStream().readNBytes(SENT_BY_CLIENT)).hasSize(SENT_BY_CLIENT);
    accepted.getOutputStream().write(new byte[SENT_BY_SERVER]);
    assertThat(client.getInputStream().readNBytes(SENT_BY_SERVER)).hasSize(SENT_BY_SERVER);
  }

  @AfterEach
  void closeTheConnection() throws IOException {
    accepted.close();
    client.close();
    listener.close();
  }

  @Test
  void reportsTheListenerBothEndsOfTheConnectionAndItsBytesFromNetlink() throws Exception {
    try (Socketstat socketstat = ownNamespace(Socketstat.Source.NETLINK).build()) {
      // The payload counts once acked: the last ACK may trail the read by a delayed-ACK timer.
      HostDependencies found = socketstat.read();
      Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
      while (!bytesOf(found.upstreams()).equals(bytes(SENT_BY_CLIENT, SENT_BY_SERVER))
          || !bytesOf(found.downstreams()).equals(bytes(SENT_BY_SERVER, SENT_BY_CLIENT))) {
        if (Instant.now().isAfter(deadline)) {
          break;
        }
        Thread.sleep(50);
        found = socketstat.read();
      }

      assertThat(found.listeners())
          .filteredOn(onPort(Listener::port))
          .singleElement()
          .extracting(Listener::hostgroup, Listener::bind, Listener::process, Listener::protocol)
          .containsExactly("", "127.0.0.1:" + port, "java", "tcp");
      assertThat(found.upstreams())
          .filteredOn(onPort(Dependency::port))
          .singleElement()
          .extracting(
              Dependency::localAddress,
              Dependency::remoteAddress,
              Dependency::remoteHostgroup,
              Dependency::protocol,
              Dependency::process,
              Dependency::connected,
              Dependency::bytes)
          .containsExactly(
              "198.18.0.1",
              "localhost",
              "localhost",
              "tcp",
              "java",
              true,
              bytes(SENT_BY_CLIENT, SENT_BY_SERVER));
      assertThat(found.downstreams())
          .filteredOn(onPort(Dependency::port))
          .singleElement()
          .extracting(
              Dependency::remoteAddress,
              Dependency::process,
              Dependency::connected,
              Dependency::bytes)
          .containsExactly("localhost", "java", true, bytes(SENT_BY_SERVER, SENT_BY_CLIENT));
    }
  }

  @Test
  void keepsTheBytesOfAClosedConnectionUnderADependencyNoLongerConnected() throws Exception {
    try (Socketstat socketstat = ownNamespace(Socketstat.Source.NETLINK).build()) {
      Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
      while (!bytesOf(socketstat.read().upstreams()).equals(bytes(SENT_BY_CLIENT, SENT_BY_SERVER))
          && Instant.now().isBefore(deadline)) {
        Thread.sleep(50);
      }
      // The server closes first: its end waits in TIME_WAIT, the client's end is gone.
      accepted.close();
      assertThat(client.getInputStream().read()).isEqualTo(-1);
      client.close();
      HostDependencies found = socketstat.read();
      while (found.upstreams().stream()
              .filter(onPort(Dependency::port))
              .anyMatch(Dependency::connected)
          && Instant.now().isBefore(deadline)) {
        Thread.sleep(50);
        found = socketstat.read();
      }

      assertThat(found.upstreams())
          .filteredOn(onPort(Dependency::port))
          .singleElement()
          .extracting(Dependency::process, Dependency::connected, Dependency::bytes)
          .containsExactly("java", false, bytes(SENT_BY_CLIENT, SENT_BY_SERVER));
    }
  }

  @Test
  void namesTheLocalAddressThroughTheInventoryAndHasNoBytesFromProc() throws Exception {
    try (Socketstat socketstat =
        ownNamespace(Socketstat.Source.PROC)
            .inventory(TestInventory.of(Map.of("198.18.0.1", new Host("web1.example", "web"))))
            .build()) {
      HostDependencies found = socketstat.read();

      assertThat(found.listeners())
          .filteredOn(onPort(Listener::port))
          .extracting(Listener::hostgroup)
          .containsExactly("web");
      assertThat(found.upstreams())
          .filteredOn(onPort(Dependency::port))
          .extracting(
              Dependency::localAddress,
              Dependency::localHostgroup,
              Dependency::process,
              Dependency::bytes)
          .containsExactly(tuple("web1.example", "web", "java", Optional.empty()));
      assertThat(found.downstreams()).filteredOn(onPort(Dependency::port)).hasSize(1);
    }
  }

  @Test
  void refusesAProcRootThatIsNotADirectory(@TempDir Path temp) {
    Path missing = temp.resolve("missing");

    assertThatThrownBy(() -> Socketstat.builder().procRoot(missing).build())
        .isInstanceOf(IOException.class)
        .hasMessage("proc-root: " + missing + " is not a directory");
  }

  /** Reads only this JVM's namespace, where loopback stands for {@link #PRIMARY_IP}. */
  private static Socketstat.Builder ownNamespace(Socketstat.Source source) {
    return Socketstat.builder()
        .source(source)
        .namespaces(Socketstat.Namespaces.OWN)
        .primaryIp(PRIMARY_IP);
  }

  private <T> Predicate<T> onPort(ToIntFunction<T> portOf) {
    return item -> portOf.applyAsInt(item) == port;
  }

  /** The byte count of the one dependency on the test's port, if there is exactly one. */
  private Optional<ByteCount> bytesOf(List<Dependency> dependencies) {
    List<Dependency> onPort = dependencies.stream().filter(onPort(Dependency::port)).toList();
    return onPort.size() == 1 ? onPort.get(0).bytes() : Optional.empty();
  }

  private static Optional<ByteCount> bytes(long sent, long received) {
    return Optional.of(new ByteCount(sent, received));
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
