package io.planetexporter.task.socketstat.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.api.Inventory;
import io.planetexporter.net.IpAddress;
import io.planetexporter.net.LongMap;
import io.planetexporter.task.socketstat.owner.ProcessInfo;
import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.Socket;
import io.planetexporter.task.socketstat.table.SocketState;
import io.planetexporter.task.socketstat.table.TcpInfo;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The classification rules on their own: sockets become unnamed edges and listeners, as addresses
 * and processes, with no inventory and no label values involved.
 */
class ClassifierUnnamedEdgeTest {

  private static final ProcessInfo NGINX = new ProcessInfo(10, 1, "nginx");
  private static final ProcessInfo CURL = new ProcessInfo(20, 1, "curl");
  private static final ProcessInfo WORKER = new ProcessInfo(30, 1, "worker");

  private final List<Socket> sockets = new ArrayList<>();
  private final LongMap<ProcessInfo> owners = new LongMap<>(0);
  private long nextInode = 1000;

  private Socket socket(
      Protocol protocol,
      String local,
      int localPort,
      String remote,
      int remotePort,
      SocketState state,
      ProcessInfo owner) {
    long inode = nextInode++;
    Socket socket =
        new Socket(protocol, ip(local), localPort, ip(remote), remotePort, state, inode);
    sockets.add(socket);
    if (owner != null) {
      owners.put(inode, owner);
    }
    return socket;
  }

  private Socket tcp(
      String local, int localPort, String remote, int remotePort, ProcessInfo owner) {
    SocketState state = remotePort == 0 ? SocketState.LISTEN : SocketState.ESTABLISHED;
    return socket(Protocol.TCP, local, localPort, remote, remotePort, state, owner);
  }

  private Classifier classifier(KernelSettings kernel) {
    return Classifier.of(sockets, owners, kernel);
  }

  private Classifier classifier() {
    return classifier(KernelSettings.DEFAULTS);
  }

  private static IpAddress ip(String literal) {
    try {
      return IpAddress.of(InetAddress.getByName(literal));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  @Test
  void aSocketOnAListenersPortIsADownstreamOnThatPortWithItsOwnProcess() {
    tcp("0.0.0.0", 80, "0.0.0.0", 0, NGINX);
    Socket accepted = tcp("10.0.0.1", 80, "10.0.0.9", 40000, WORKER);

    assertThat(classifier().unnamedEdge(accepted))
        .isEqualTo(
            new UnnamedEdge(
                Direction.DOWNSTREAM, ip("10.0.0.1"), ip("10.0.0.9"), 80, Protocol.TCP, WORKER));
  }

  @Test
  void aDownstreamWithoutAKnownProcessTakesItsListeners() {
    tcp("10.0.0.1", 80, "0.0.0.0", 0, NGINX);
    Socket accepted = tcp("10.0.0.1", 80, "10.0.0.9", 40000, null);

    assertThat(classifier().unnamedEdge(accepted).process()).isSameAs(NGINX);
  }

  @Test
  void aSocketNoListenerServesIsAnUpstreamOnTheRemotePortWithItsProcessOrNone() {
    tcp("10.0.0.2", 80, "0.0.0.0", 0, NGINX); // another address: serves nothing on 10.0.0.1
    Socket client = tcp("10.0.0.1", 80, "10.0.0.9", 443, CURL);
    Socket unknown = tcp("10.0.0.1", 41000, "10.0.0.9", 5432, null);

    Classifier classifier = classifier();

    assertThat(classifier.unnamedEdge(client))
        .isEqualTo(
            new UnnamedEdge(
                Direction.UPSTREAM, ip("10.0.0.1"), ip("10.0.0.9"), 443, Protocol.TCP, CURL));
    assertThat(classifier.unnamedEdge(unknown).process()).isNull();
    assertThat(classifier.unnamedEdge(unknown).port()).isEqualTo(5432);
  }

  @Test
  void anIpv6WildcardListenerServesIpv4UnlessBindV6Only() {
    tcp("::", 8080, "::", 0, NGINX);
    Socket accepted = tcp("10.0.0.1", 8080, "10.0.0.9", 40000, null);

    assertThat(classifier().unnamedEdge(accepted).direction()).isEqualTo(Direction.DOWNSTREAM);
    assertThat(classifier(new KernelSettings(32768, 60999, true)).unnamedEdge(accepted).direction())
        .isEqualTo(Direction.UPSTREAM);
  }

  @Test
  void amongListenersOnOnePortTheBoundAddressBeatsTheWildcard() {
    tcp("0.0.0.0", 80, "0.0.0.0", 0, WORKER);
    tcp("10.0.0.1", 80, "0.0.0.0", 0, NGINX);
    Socket accepted = tcp("10.0.0.1", 80, "10.0.0.9", 40000, null);

    assertThat(classifier().unnamedEdge(accepted).process()).isSameAs(NGINX);
  }

  @Test
  void amongEqualReusePortListenersTheKnownThenLowestPidProcessServes() {
    tcp("0.0.0.0", 80, "0.0.0.0", 0, null);
    tcp("0.0.0.0", 80, "0.0.0.0", 0, WORKER);
    tcp("0.0.0.0", 80, "0.0.0.0", 0, NGINX);
    Socket accepted = tcp("10.0.0.1", 80, "10.0.0.9", 40000, null);

    assertThat(classifier().unnamedEdge(accepted).process()).isSameAs(NGINX);
  }

  @Test
  void listenersAreTcpInListenAndUnconnectedUdpOutsideTheEphemeralRange() {
    tcp("0.0.0.0", 22, "0.0.0.0", 0, NGINX);
    socket(Protocol.UDP, "0.0.0.0", 53, "0.0.0.0", 0, SocketState.CLOSE, WORKER);
    socket(Protocol.UDP, "0.0.0.0", 40000, "0.0.0.0", 0, SocketState.CLOSE, CURL);

    assertThat(classifier().listeners())
        .containsExactly(
            new Listener(ip("0.0.0.0"), 22, Protocol.TCP, NGINX),
            new Listener(ip("0.0.0.0"), 53, Protocol.UDP, WORKER));
  }

  @Test
  void onlyConnectedUdpAndTcpWithAPeerAreLinkedAClosedTcpSocketOnlyWithCounters() {
    Socket listener = tcp("0.0.0.0", 22, "0.0.0.0", 0, NGINX);
    Socket connectedUdp =
        socket(Protocol.UDP, "10.0.0.1", 40000, "10.0.0.53", 53, SocketState.ESTABLISHED, CURL);
    Socket closedNoCounters =
        socket(Protocol.TCP, "10.0.0.1", 40001, "10.0.0.9", 443, SocketState.CLOSE, CURL);
    Socket announcedClosed =
        new Socket(
            Protocol.TCP,
            ip("10.0.0.1"),
            40002,
            ip("10.0.0.9"),
            443,
            SocketState.CLOSE,
            0,
            77,
            new TcpInfo(1, 1, 0, 0, 0));

    Classifier classifier = classifier();

    assertThat(classifier.unnamedEdge(listener)).isNull();
    assertThat(classifier.unnamedEdge(connectedUdp).port()).isEqualTo(53);
    assertThat(classifier.unnamedEdge(closedNoCounters)).isNull();
    assertThat(classifier.unnamedEdge(announcedClosed).direction()).isEqualTo(Direction.UPSTREAM);
  }

  @Test
  void socketsOfOneSeriesMakeEqualLinksNamedOnceIntoOneEdge() {
    Socket one = tcp("10.0.0.1", 41000, "10.0.0.9", 443, CURL);
    Socket two = tcp("10.0.0.1", 41001, "10.0.0.9", 443, CURL);
    Socket other = tcp("10.0.0.1", 41002, "10.0.0.9", 443, null);
    Classifier classifier = classifier();
    Labeler labeler = new Labeler(ip("10.0.0.1"), Inventory.empty(), true);

    UnnamedEdge link = classifier.unnamedEdge(one);

    assertThat(classifier.unnamedEdge(two)).isEqualTo(link).hasSameHashCodeAs(link);
    assertThat(classifier.unnamedEdge(other)).isNotEqualTo(link);
    assertThat(labeler.edge(classifier.unnamedEdge(two))).isSameAs(labeler.edge(link));
    assertThat(labeler.edges()).hasSize(1);
  }
}
