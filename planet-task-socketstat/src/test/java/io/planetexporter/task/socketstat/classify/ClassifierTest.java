package io.planetexporter.task.socketstat.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.api.Inventory;
import io.planetexporter.net.IpAddress;
import io.planetexporter.net.LongMap;
import io.planetexporter.task.socketstat.MapInventory;
import io.planetexporter.task.socketstat.owner.ProcessInfo;
import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.Socket;
import io.planetexporter.task.socketstat.table.SocketState;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ClassifierTest {

  private static final KernelSettings KERNEL = KernelSettings.DEFAULTS;
  private static final String PRIMARY_IP = "10.0.0.1";

  private final List<Socket> sockets = new ArrayList<>();
  private final LongMap<ProcessInfo> owners = new LongMap<>(0);
  private long nextInode = 1000;

  /**
   * Adds a socket written as {@code tcp 10.0.0.1:80 10.0.0.9:4000 established nginx}; process "-"
   * for none, state time_wait gets inode 0.
   */
  private ClassifierTest socket(String line) {
    String[] f = line.split(" ");
    SocketState state = SocketState.valueOf(f[3].toUpperCase(Locale.ROOT));
    long inode = state == SocketState.TIME_WAIT ? 0 : nextInode++;
    String[] local = splitEndpoint(f[1]);
    String[] remote = splitEndpoint(f[2]);
    sockets.add(
        new Socket(
            Protocol.valueOf(f[0].toUpperCase(Locale.ROOT)),
            ip(local[0]),
            Integer.parseInt(local[1]),
            ip(remote[0]),
            Integer.parseInt(remote[1]),
            state,
            inode));
    if (!f[4].equals("-")) {
      owners.put(inode, new ProcessInfo((int) inode, 1, f[4]));
    }
    return this;
  }

  private static String[] splitEndpoint(String endpoint) {
    int colon = endpoint.lastIndexOf(':');
    return new String[] {
      endpoint.substring(0, colon).replace("[", "").replace("]", ""), endpoint.substring(colon + 1)
    };
  }

  private static IpAddress ip(String literal) {
    try {
      return IpAddress.of(InetAddress.getByName(literal));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  private String classify() {
    return classify(KERNEL, Inventory.empty());
  }

  private String classify(KernelSettings kernel, Inventory inventory) {
    EdgesAndListeners result =
        Classifier.classify(sockets, owners, kernel, new Labeler(ip(PRIMARY_IP), inventory, true));
    return Stream.of(
                result.listeners().stream()
                    .map(
                        s ->
                            String.format(
                                "server %s %s %d [%s] %s",
                                s.protocol().label(),
                                s.bind(),
                                s.port(),
                                s.localHostgroup(),
                                s.processName())),
                result.upstreams().stream().map(p -> render("upstream", p)),
                result.downstreams().stream().map(p -> render("downstream", p)))
            .flatMap(s -> s)
            .collect(Collectors.joining("\n"))
        + "\n";
  }

  private static String render(String direction, EdgeLabels p) {
    return String.format(
        "%s %s %d %s[%s] -> %s[%s] %s",
        direction,
        p.protocol().label(),
        p.port(),
        p.localAddress(),
        p.localHostgroup(),
        p.remoteAddress(),
        p.remoteHostgroup(),
        p.processName());
  }

  @Nested
  class Listeners {

    @Test
    void reportsTcpListenersWithTheirBindAddress() {
      socket("tcp 0.0.0.0:22 0.0.0.0:0 listen sshd");
      socket("tcp [::]:22 [::]:0 listen sshd");
      socket("tcp 127.0.0.1:5432 0.0.0.0:0 listen postgres");
      socket("tcp [fd00::5]:8080 [::]:0 listen -");

      assertThat(classify())
          .isEqualTo(
              """
              server tcp 0.0.0.0:22 22 [] sshd
              server tcp 127.0.0.1:5432 5432 [] postgres
              server tcp [::]:22 22 [] sshd
              server tcp [fd00::5]:8080 8080 []\s
              """);
    }

    @Test
    void reportsUnconnectedUdpSocketsOnlyOutsideTheEphemeralRange() {
      socket("udp 0.0.0.0:53 0.0.0.0:0 close dnsmasq");
      socket("udp 0.0.0.0:40000 0.0.0.0:0 close resolver");
      socket("udp [::]:61000 [::]:0 close quic");
      socket("udp 0.0.0.0:0 0.0.0.0:0 close unbound");

      assertThat(classify(new KernelSettings(32768, 60999, false), Inventory.empty()))
          .isEqualTo(
              """
              server udp 0.0.0.0:53 53 [] dnsmasq
              server udp [::]:61000 61000 [] quic
              """);
    }

    @Test
    void labelsTheLocalHostgroupOfTheBindAddressOrThePrimaryIp() {
      socket("tcp 0.0.0.0:22 0.0.0.0:0 listen sshd");
      socket("tcp 10.0.0.2:80 0.0.0.0:0 listen nginx");

      assertThat(
              classify(
                  KERNEL,
                  new MapInventory()
                      .with(PRIMARY_IP, "web1.example", "web")
                      .with("10.0.0.2", "", "vip")))
          .isEqualTo(
              """
              server tcp 10.0.0.2:80 80 [vip] nginx
              server tcp 0.0.0.0:22 22 [web] sshd
              """);
    }
  }

  @Nested
  class Direction {

    @Test
    void isDownstreamWhenAListenerOnTheSameAddressServesTheLocalPort() {
      socket("tcp 10.0.0.1:80 0.0.0.0:0 listen nginx");
      socket("tcp 10.0.0.1:80 10.0.0.9:40000 established nginx");
      socket("tcp 10.0.0.1:40001 10.0.0.9:80 established curl");

      assertThat(classify())
          .isEqualTo(
              """
              server tcp 10.0.0.1:80 80 [] nginx
              upstream tcp 80 10.0.0.1[] -> 10.0.0.9[] curl
              downstream tcp 80 10.0.0.1[] -> 10.0.0.9[] nginx
              """);
    }

    @Test
    void isUpstreamWhenTheListenerOnThatPortIsBoundToAnotherAddress() {
      socket("tcp 127.0.0.1:8080 0.0.0.0:0 listen admin");
      socket("tcp 10.0.0.1:8080 10.0.0.9:8080 established sync");

      assertThat(classify())
          .isEqualTo(
              """
              server tcp 127.0.0.1:8080 8080 [] admin
              upstream tcp 8080 10.0.0.1[] -> 10.0.0.9[] sync
              """);
    }

    @Test
    void letsAnIpv4WildcardServeOnlyIpv4() {
      socket("tcp 0.0.0.0:80 0.0.0.0:0 listen nginx");
      socket("tcp 10.0.0.1:80 10.0.0.9:40000 established nginx");
      socket("tcp [fd00::1]:80 [fd00::9]:40000 established other");

      assertThat(classify())
          .isEqualTo(
              """
              server tcp 0.0.0.0:80 80 [] nginx
              upstream tcp 40000 fd00::1[] -> fd00::9[] other
              downstream tcp 80 10.0.0.1[] -> 10.0.0.9[] nginx
              """);
    }

    @Test
    void letsAnIpv6WildcardServeIpv4UnlessBindv6only() {
      socket("tcp [::]:80 [::]:0 listen nginx");
      socket("tcp 10.0.0.1:80 10.0.0.9:40000 established nginx");
      socket("tcp [fd00::1]:80 [fd00::9]:40001 established nginx");

      assertThat(classify())
          .isEqualTo(
              """
              server tcp [::]:80 80 [] nginx
              downstream tcp 80 10.0.0.1[] -> 10.0.0.9[] nginx
              downstream tcp 80 fd00::1[] -> fd00::9[] nginx
              """);
      assertThat(classify(new KernelSettings(32768, 60999, true), Inventory.empty()))
          .isEqualTo(
              """
              server tcp [::]:80 80 [] nginx
              upstream tcp 40000 10.0.0.1[] -> 10.0.0.9[] nginx
              downstream tcp 80 fd00::1[] -> fd00::9[] nginx
              """);
    }

    @Test
    void needsTheSameProtocol() {
      socket("udp 0.0.0.0:53 0.0.0.0:0 close dnsmasq");
      socket("tcp 10.0.0.1:53 10.0.0.9:53 established axfr");

      assertThat(classify())
          .isEqualTo(
              """
              server udp 0.0.0.0:53 53 [] dnsmasq
              upstream tcp 53 10.0.0.1[] -> 10.0.0.9[] axfr
              """);
    }

    @Test
    void treatsConnectedUdpLikeTcp() {
      socket("udp 0.0.0.0:443 0.0.0.0:0 close quic");
      socket("udp 10.0.0.1:443 10.0.0.9:50000 established quic");
      socket("udp 10.0.0.1:50001 10.0.0.9:53 established app");

      assertThat(classify())
          .isEqualTo(
              """
              server udp 0.0.0.0:443 443 [] quic
              upstream udp 53 10.0.0.1[] -> 10.0.0.9[] app
              downstream udp 443 10.0.0.1[] -> 10.0.0.9[] quic
              """);
    }

    @Test
    void countsEveryTcpStateWithAPeerButNotListenOrClose() {
      for (String state :
          List.of(
              "established",
              "syn_sent",
              "syn_recv",
              "fin_wait1",
              "fin_wait2",
              "close_wait",
              "last_ack",
              "closing")) {
        socket("tcp 10.0.0.1:40000 10.0.0.9:" + (1000 + sockets.size()) + " " + state + " app");
      }
      socket("tcp 10.0.0.1:40001 0.0.0.0:0 close bound");

      assertThat(classify())
          .isEqualTo(
              """
              upstream tcp 1000 10.0.0.1[] -> 10.0.0.9[] app
              upstream tcp 1001 10.0.0.1[] -> 10.0.0.9[] app
              upstream tcp 1002 10.0.0.1[] -> 10.0.0.9[] app
              upstream tcp 1003 10.0.0.1[] -> 10.0.0.9[] app
              upstream tcp 1004 10.0.0.1[] -> 10.0.0.9[] app
              upstream tcp 1005 10.0.0.1[] -> 10.0.0.9[] app
              upstream tcp 1006 10.0.0.1[] -> 10.0.0.9[] app
              upstream tcp 1007 10.0.0.1[] -> 10.0.0.9[] app
              """);
    }
  }

  @Nested
  class Processes {

    @Test
    void givesATimeWaitDownstreamTheListenersProcessAndATimeWaitUpstreamNone() {
      socket("tcp [::]:80 [::]:0 listen nginx");
      socket("tcp 10.0.0.1:80 10.0.0.9:40000 time_wait -");
      socket("tcp 10.0.0.1:40001 10.0.0.9:443 time_wait -");

      assertThat(classify())
          .isEqualTo(
              """
              server tcp [::]:80 80 [] nginx
              upstream tcp 443 10.0.0.1[] -> 10.0.0.9[]\s
              downstream tcp 80 10.0.0.1[] -> 10.0.0.9[] nginx
              """);
    }

    @Test
    void makesOneSeriesPerProcessTalkingToTheSamePeerPort() {
      socket("tcp 10.0.0.1:40000 10.0.0.9:5432 established api");
      socket("tcp 10.0.0.1:40001 10.0.0.9:5432 established api");
      socket("tcp 10.0.0.1:40002 10.0.0.9:5432 established cron");

      assertThat(classify())
          .isEqualTo(
              """
              upstream tcp 5432 10.0.0.1[] -> 10.0.0.9[] api
              upstream tcp 5432 10.0.0.1[] -> 10.0.0.9[] cron
              """);
    }
  }

  @Nested
  class Loopback {

    @Test
    void reportsLoopbackPeersAsLocalhostBothWaysAndTheLocalSideAsThePrimaryIp() {
      socket("tcp 127.0.0.1:6379 0.0.0.0:0 listen redis");
      socket("tcp 127.0.0.1:6379 127.0.0.1:40000 established redis");
      socket("tcp 127.0.0.1:40000 127.0.0.1:6379 established api");
      socket("tcp 127.0.0.1:40001 127.0.0.2:9000 established api");
      socket("tcp [::1]:40002 [::1]:9090 established api");

      assertThat(classify())
          .isEqualTo(
              """
              server tcp 127.0.0.1:6379 6379 [] redis
              upstream tcp 6379 10.0.0.1[] -> localhost[localhost] api
              upstream tcp 9000 10.0.0.1[] -> localhost[localhost] api
              upstream tcp 9090 10.0.0.1[] -> localhost[localhost] api
              downstream tcp 6379 10.0.0.1[] -> localhost[localhost] redis
              """);
    }

    @Test
    void replaces127Dot0Dot0Dot2AsALocalAddressToo() {
      socket("tcp 127.0.0.2:8080 0.0.0.0:0 listen app");
      socket("tcp 127.0.0.2:8080 127.0.0.1:40000 established app");

      assertThat(classify())
          .isEqualTo(
              """
              server tcp 127.0.0.2:8080 8080 [] app
              downstream tcp 8080 10.0.0.1[] -> localhost[localhost] app
              """);
    }
  }

  @Nested
  class InventoryNames {

    @Test
    void namesAddressesByDomainElseIpAndHostgroupElseEmptyInLabelOrder() {
      socket("tcp 10.0.0.1:40000 10.0.0.9:443 established api");
      socket("tcp 10.0.0.1:40001 10.0.0.10:443 established api");
      socket("tcp 10.0.0.1:40002 10.0.0.11:443 established api");

      assertThat(
              classify(
                  KERNEL,
                  new MapInventory()
                      .with(PRIMARY_IP, "api1.example", "api")
                      .with("10.0.0.9", "db1.example", "db")
                      .with("10.0.0.10", "", "cache")))
          .isEqualTo(
              """
              upstream tcp 443 api1.example[api] -> 10.0.0.11[] api
              upstream tcp 443 api1.example[api] -> 10.0.0.10[cache] api
              upstream tcp 443 api1.example[api] -> db1.example[db] api
              """);
    }
  }
}
