package io.planetexporter.task.socketstat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.planetexporter.api.Inventory;
import io.planetexporter.api.Task;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task on this machine's real /proc, with sockets opened by the test JVM ({@code java}) and by
 * a child process whose name the test chose ({@code pe-client}, a link to bash that connects with
 * {@code /dev/tcp}). Only loopback is used; assertions cover the test's own ports.
 */
class LoopbackSocketsIT {

  private static final String PRIMARY_IP = "198.18.0.1";
  private static final Path BASH = Path.of("/bin/bash");

  @TempDir Path temp;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    for (Process child : children) {
      child.destroy();
      if (!child.waitFor(5, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
    for (AutoCloseable closeable : open) {
      closeable.close();
    }
  }

  private <T extends AutoCloseable> T keep(T closeable) {
    open.add(closeable);
    return closeable;
  }

  @Test
  void reportsTheTestsOwnListenersAndConnectionsExactly() throws Exception {
    assumeTrue(Files.isExecutable(BASH), "needs /bin/bash for the named client process");
    InetAddress loopback = InetAddress.getByName("127.0.0.1");

    // A listener with one client in this JVM and one in a child process named pe-client.
    ServerSocket web = keep(new ServerSocket(0, 50, loopback));
    java.net.Socket jvmClient = keep(new java.net.Socket(loopback, web.getLocalPort()));
    keep(web.accept());
    startNamedClient("127.0.0.1", web.getLocalPort());
    keep(web.accept());

    // IPv6 loopback listener and client.
    InetAddress ipv6Loopback = InetAddress.getByName("::1");
    ServerSocket v6 = keep(new ServerSocket(0, 50, ipv6Loopback));
    keep(new java.net.Socket(ipv6Loopback, v6.getLocalPort()));
    keep(v6.accept());

    // A listener on 127.0.0.2 reached by the named client.
    ServerSocket second = keep(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2")));
    startNamedClient("127.0.0.2", second.getLocalPort());
    keep(second.accept());

    // TIME_WAIT on the client side: the client closes first.
    ServerSocket clientCloses = keep(new ServerSocket(0, 50, loopback));
    closeInOrder(clientCloses, true);
    // TIME_WAIT on the server side: the accepted socket closes first.
    ServerSocket serverCloses = keep(new ServerSocket(0, 50, loopback));
    closeInOrder(serverCloses, false);

    // A UDP server outside the ephemeral range and a connected UDP client.
    DatagramSocket udpServer = keep(bindUdpOutsideEphemeralRange(loopback));
    DatagramChannel udpClient = keep(DatagramChannel.open());
    udpClient.bind(new InetSocketAddress(loopback, 0));
    udpClient.connect(new InetSocketAddress(loopback, udpServer.getLocalPort()));

    int w = web.getLocalPort();
    int s6 = v6.getLocalPort();
    int s2 = second.getLocalPort();
    int tc = clientCloses.getLocalPort();
    int ts = serverCloses.getLocalPort();
    int u = udpServer.getLocalPort();
    String expected =
        """
        planet_server_process{bind="127.0.0.1:%1$d",local_hostgroup="",port="%1$d",process_name="java",protocol="tcp"} 1.0
        planet_upstream{local_address="198.18.0.1",local_hostgroup="",port="%1$d",process_name="java",protocol="tcp",remote_address="localhost",remote_hostgroup="localhost"} 1.0
        planet_upstream{local_address="198.18.0.1",local_hostgroup="",port="%1$d",process_name="pe-client",protocol="tcp",remote_address="localhost",remote_hostgroup="localhost"} 1.0
        planet_downstream{local_address="198.18.0.1",local_hostgroup="",port="%1$d",process_name="java",protocol="tcp",remote_address="localhost",remote_hostgroup="localhost"} 1.0
        planet_server_process{bind="[::1]:%2$d",local_hostgroup="",port="%2$d",process_name="java",protocol="tcp"} 1.0
        planet_upstream{local_address="198.18.0.1",local_hostgroup="",port="%2$d",process_name="java",protocol="tcp",remote_address="localhost",remote_hostgroup="localhost"} 1.0
        planet_downstream{local_address="198.18.0.1",local_hostgroup="",port="%2$d",process_name="java",protocol="tcp",remote_address="localhost",remote_hostgroup="localhost"} 1.0
        planet_server_process{bind="127.0.0.2:%3$d",local_hostgroup="",port="%3$d",process_name="java",protocol="tcp"} 1.0
        planet_upstream{local_address="198.18.0.1",local_hostgroup="",port="%3$d",process_name="pe-client",protocol="tcp",remote_address="localhost",remote_hostgroup="localhost"} 1.0
        planet_downstream{local_address="198.18.0.1",local_hostgroup="",port="%3$d",process_name="java",protocol="tcp",remote_address="localhost",remote_hostgroup="localhost"} 1.0
        planet_server_process{bind="127.0.0.1:%4$d",local_hostgroup="",port="%4$d",process_name="java",protocol="tcp"} 1.0
        planet_upstream{local_address="198.18.0.1",local_hostgroup="",port="%4$d",process_name="",protocol="tcp",remote_address="localhost",remote_hostgroup="localhost"} 1.0
        planet_server_process{bind="127.0.0.1:%5$d",local_hostgroup="",port="%5$d",process_name="java",protocol="tcp"} 1.0
        planet_downstream{local_address="198.18.0.1",local_hostgroup="",port="%5$d",process_name="java",protocol="tcp",remote_address="localhost",remote_hostgroup="localhost"} 1.0
        planet_server_process{bind="127.0.0.1:%6$d",local_hostgroup="",port="%6$d",process_name="java",protocol="udp"} 1.0
        planet_upstream{local_address="198.18.0.1",local_hostgroup="",port="%6$d",process_name="java",protocol="udp",remote_address="localhost",remote_hostgroup="localhost"} 1.0
        """
            .formatted(w, s6, s2, tc, ts, u);
    assertThat(jvmClient.isConnected()).isTrue();

    Task task =
        new SocketstatTaskProvider().create(TestContext.of("/proc", PRIMARY_IP, Inventory.empty()));
    String actual = "";
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    do {
      task.run();
      actual = seriesOfPorts(SocketstatTaskTest.text(task.snapshot()), w, s6, s2, tc, ts, u);
    } while (!sorted(actual).equals(sorted(expected)) && Instant.now().isBefore(deadline));

    assertThat(sorted(actual)).isEqualTo(sorted(expected));
  }

  /** Connects to the listener and closes both ends, the client first or the server first. */
  private void closeInOrder(ServerSocket listener, boolean clientFirst) throws IOException {
    java.net.Socket client =
        new java.net.Socket(listener.getInetAddress(), listener.getLocalPort());
    java.net.Socket accepted = listener.accept();
    java.net.Socket first = clientFirst ? client : accepted;
    java.net.Socket then = clientFirst ? accepted : client;
    first.close();
    // Wait for the FIN to arrive so that the first closer is the one left in TIME_WAIT.
    then.getInputStream().read();
    then.close();
  }

  /** A child named pe-client (bash by another name) holding a TCP connection until stopped. */
  private void startNamedClient(String host, int port) throws IOException {
    Path client = temp.resolve("pe-client");
    if (!Files.exists(client)) {
      Files.createSymbolicLink(client, BASH);
    }
    Process process =
        new ProcessBuilder(
                client.toString(),
                "-c",
                "exec 3<>/dev/tcp/" + host + "/" + port + " && echo connected && read -r line")
            .redirectErrorStream(true)
            .start();
    children.add(process);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("pe-client output").isEqualTo("connected");
  }

  private static DatagramSocket bindUdpOutsideEphemeralRange(InetAddress address)
      throws IOException {
    KernelSettings kernel = KernelSettings.read(Path.of("/proc"));
    Random random = new Random();
    for (int attempt = 0; ; attempt++) {
      // Another test may have widened the range: take what is left below or above it.
      int below = Math.max(0, kernel.ephemeralLow() - 1024);
      int above = 65535 - kernel.ephemeralHigh();
      int pick = random.nextInt(below + above);
      int port = pick < below ? 1024 + pick : kernel.ephemeralHigh() + 1 + pick - below;
      try {
        return new DatagramSocket(new InetSocketAddress(address, port));
      } catch (SocketException e) {
        if (attempt > 50) {
          throw e;
        }
      }
    }
  }

  private static String seriesOfPorts(String text, int... ports) {
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.startsWith("planet_upstream{")
          && !line.startsWith("planet_downstream{")
          && !line.startsWith("planet_server_process{")) {
        continue;
      }
      for (int port : ports) {
        if (line.contains("port=\"" + port + "\"")) {
          lines.add(line);
        }
      }
    }
    return String.join("\n", lines);
  }

  private static String sorted(String lines) {
    return lines.lines().sorted().collect(Collectors.joining("\n")) + "\n";
  }
}
