package io.planetexporter.task.socketstat;

import io.planetexporter.task.socketstat.classify.KernelSettings;
import io.planetexporter.task.socketstat.owner.Workload;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Real sockets on loopback, opened by this JVM and by child processes named {@code pe-client} (a
 * link to bash connecting with {@code /dev/tcp}), with the series socketstat must serve for them.
 * Shared by the module's integration test and the tarball's (through the test-jar).
 *
 * <pre>{@code
 * try (LoopbackSockets sockets = LoopbackSockets.open(tempDir)) {
 *   String expected = sockets.expectedSeries("198.18.0.1", "java");
 *   String actual = LoopbackSockets.sorted(sockets.seriesOfItsPorts(scrapedText));
 * }
 * }</pre>
 *
 * <p>Opened: a TCP listener on 127.0.0.1 with a client in this JVM and one in pe-client; a TCP
 * listener on ::1 with a client; a listener on 127.0.0.2 reached by pe-client; a connection closed
 * client first (TIME_WAIT on the client side) and one closed server first (TIME_WAIT on the server
 * side); a UDP server outside the ephemeral port range and a connected UDP client.
 */
public final class LoopbackSockets implements AutoCloseable {

  private static final Path BASH = Path.of("/bin/bash");
  private static final String EXPECTED =
      """
      planet_server_process{bind="127.0.0.1:%1$d",container="%9$s",local_hostgroup="",port="%1$d",process_name="%7$s",protocol="tcp",unit="%10$s",workload=""} 1.0
      planet_upstream{container="%9$s",local_address="%8$s",local_hostgroup="",port="%1$d",process_name="%7$s",protocol="tcp",remote_address="localhost",remote_hostgroup="localhost",unit="%10$s",workload=""} 1.0
      planet_upstream{container="%9$s",local_address="%8$s",local_hostgroup="",port="%1$d",process_name="pe-client",protocol="tcp",remote_address="localhost",remote_hostgroup="localhost",unit="%10$s",workload=""} 1.0
      planet_downstream{container="%9$s",local_address="%8$s",local_hostgroup="",port="%1$d",process_name="%7$s",protocol="tcp",remote_address="localhost",remote_hostgroup="localhost",unit="%10$s",workload=""} 1.0
      planet_server_process{bind="[::1]:%2$d",container="%9$s",local_hostgroup="",port="%2$d",process_name="%7$s",protocol="tcp",unit="%10$s",workload=""} 1.0
      planet_upstream{container="%9$s",local_address="%8$s",local_hostgroup="",port="%2$d",process_name="%7$s",protocol="tcp",remote_address="localhost",remote_hostgroup="localhost",unit="%10$s",workload=""} 1.0
      planet_downstream{container="%9$s",local_address="%8$s",local_hostgroup="",port="%2$d",process_name="%7$s",protocol="tcp",remote_address="localhost",remote_hostgroup="localhost",unit="%10$s",workload=""} 1.0
      planet_server_process{bind="127.0.0.2:%3$d",container="%9$s",local_hostgroup="",port="%3$d",process_name="%7$s",protocol="tcp",unit="%10$s",workload=""} 1.0
      planet_upstream{container="%9$s",local_address="%8$s",local_hostgroup="",port="%3$d",process_name="pe-client",protocol="tcp",remote_address="localhost",remote_hostgroup="localhost",unit="%10$s",workload=""} 1.0
      planet_downstream{container="%9$s",local_address="%8$s",local_hostgroup="",port="%3$d",process_name="%7$s",protocol="tcp",remote_address="localhost",remote_hostgroup="localhost",unit="%10$s",workload=""} 1.0
      planet_server_process{bind="127.0.0.1:%4$d",container="%9$s",local_hostgroup="",port="%4$d",process_name="%7$s",protocol="tcp",unit="%10$s",workload=""} 1.0
      planet_upstream{container="%9$s",local_address="%8$s",local_hostgroup="",port="%4$d",process_name="",protocol="tcp",remote_address="localhost",remote_hostgroup="localhost",unit="%10$s",workload=""} 1.0
      planet_server_process{bind="127.0.0.1:%5$d",container="%9$s",local_hostgroup="",port="%5$d",process_name="%7$s",protocol="tcp",unit="%10$s",workload=""} 1.0
      planet_downstream{container="%9$s",local_address="%8$s",local_hostgroup="",port="%5$d",process_name="%7$s",protocol="tcp",remote_address="localhost",remote_hostgroup="localhost",unit="%10$s",workload=""} 1.0
      planet_server_process{bind="127.0.0.1:%6$d",container="%9$s",local_hostgroup="",port="%6$d",process_name="%7$s",protocol="udp",unit="%10$s",workload=""} 1.0
      planet_upstream{container="%9$s",local_address="%8$s",local_hostgroup="",port="%6$d",process_name="%7$s",protocol="udp",remote_address="localhost",remote_hostgroup="localhost",unit="%10$s",workload=""} 1.0
      """;

  private final Path temp;
  private final Deque<AutoCloseable> open = new ArrayDeque<>();
  private final List<Process> children = new ArrayList<>();
  private final int[] ports = new int[6];
  private final Set<Integer> listenerPorts = new HashSet<>();

  private LoopbackSockets(Path temp) {
    this.temp = temp;
  }

  /** Whether this machine can run the named client (it needs bash). */
  public static boolean available() {
    return Files.isExecutable(BASH);
  }

  /**
   * Opens every socket; the TIME_WAIT sockets last the kernel's 60 s.
   *
   * @param temp where to put the pe-client link
   */
  public static LoopbackSockets open(Path temp) throws IOException {
    LoopbackSockets sockets = new LoopbackSockets(temp);
    try {
      sockets.openAll();
      return sockets;
    } catch (IOException | RuntimeException e) {
      sockets.close();
      throw e;
    }
  }

  private void openAll() throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    ServerSocket web = listen(loopback);
    keep(new Socket(loopback, web.getLocalPort()));
    keep(web.accept());
    startNamedClient("127.0.0.1", web.getLocalPort());
    keep(web.accept());

    InetAddress ipv6Loopback = InetAddress.getByName("::1");
    ServerSocket v6 = listen(ipv6Loopback);
    keep(new Socket(ipv6Loopback, v6.getLocalPort()));
    keep(v6.accept());

    ServerSocket second = listen(InetAddress.getByName("127.0.0.2"));
    startNamedClient("127.0.0.2", second.getLocalPort());
    keep(second.accept());

    ServerSocket clientCloses = listen(loopback);
    closeInOrder(clientCloses, true);
    ServerSocket serverCloses = listen(loopback);
    closeInOrder(serverCloses, false);

    DatagramSocket udpServer = keep(bindUdpOutsideEphemeralRange(loopback));
    DatagramChannel udpClient = keep(DatagramChannel.open());
    udpClient.bind(new InetSocketAddress(loopback, 0));
    udpClient.connect(new InetSocketAddress(loopback, udpServer.getLocalPort()));

    ports[0] = web.getLocalPort();
    ports[1] = v6.getLocalPort();
    ports[2] = second.getLocalPort();
    ports[3] = clientCloses.getLocalPort();
    ports[4] = serverCloses.getLocalPort();
    ports[5] = udpServer.getLocalPort();
  }

  /**
   * The planet_upstream, planet_downstream and planet_server_process series of these ports, sorted.
   *
   * @param localAddress what local loopback addresses become (the primary IP)
   * @param processName the {@code comm} of this JVM
   */
  public String expectedSeries(String localAddress, String processName) throws IOException {
    List<String> workload = ownWorkload();
    return sorted(
        EXPECTED.formatted(
            ports[0],
            ports[1],
            ports[2],
            ports[3],
            ports[4],
            ports[5],
            processName,
            localAddress,
            workload.get(0),
            workload.get(1)));
  }

  /**
   * The {@code container} and {@code unit} label values of this JVM's sockets, and of those of the
   * processes it starts (they inherit its cgroup): both empty unless the tests run in a container
   * or a systemd unit.
   */
  public static List<String> ownWorkload() throws IOException {
    Workload workload = Workload.parse(Files.readString(Path.of("/proc/self/cgroup")));
    return List.of(workload.container(), workload.unit());
  }

  /** The lines of those three metrics in {@code text} whose port is one of these, sorted. */
  public String seriesOfItsPorts(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("planet_upstream{")
          || line.startsWith("planet_downstream{")
          || line.startsWith("planet_server_process{")) {
        for (int port : ports) {
          if (line.contains("port=\"" + port + "\"")) {
            lines.add(line);
          }
        }
      }
    }
    return sorted(String.join("\n", lines));
  }

  private static String sorted(String lines) {
    return lines.lines().sorted().collect(Collectors.joining("\n")) + "\n";
  }

  /**
   * A listener on a port none of the others has: listeners on different addresses may get the same
   * port from the kernel, and the series of two such ports would merge.
   */
  private ServerSocket listen(InetAddress address) throws IOException {
    while (true) {
      ServerSocket listener = new ServerSocket(0, 50, address);
      if (listenerPorts.add(listener.getLocalPort())) {
        return keep(listener);
      }
      listener.close();
    }
  }

  private <T extends AutoCloseable> T keep(T closeable) {
    open.push(closeable);
    return closeable;
  }

  /** Connects to the listener and closes both ends, the client first or the server first. */
  private static void closeInOrder(ServerSocket listener, boolean clientFirst) throws IOException {
    Socket client = new Socket(listener.getInetAddress(), listener.getLocalPort());
    Socket accepted = listener.accept();
    Socket first = clientFirst ? client : accepted;
    Socket then = clientFirst ? accepted : client;
    first.close();
    // Wait for the FIN so that the first closer is the one left in TIME_WAIT.
    if (then.getInputStream().read() != -1) {
      throw new IllegalStateException("expected end of stream");
    }
    then.close();
  }

  /** A child named pe-client holding a TCP connection until closed. */
  private void startNamedClient(String host, int port) throws IOException {
    Path client = temp.resolve("pe-client");
    if (!Files.exists(client, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
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
    String line =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
    if (!"connected".equals(line)) {
      throw new IllegalStateException("pe-client did not connect: " + line);
    }
  }

  private static DatagramSocket bindUdpOutsideEphemeralRange(InetAddress address)
      throws IOException {
    KernelSettings kernel = KernelSettings.read(Path.of("/proc"));
    // Another test may have widened the range: take what is left below or above it.
    int below = Math.max(0, kernel.ephemeralLow() - 1024);
    int above = 65535 - kernel.ephemeralHigh();
    Random random = new Random();
    for (int attempt = 0; ; attempt++) {
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

  /** Ends the children (closing their stdin first) and closes every socket. */
  @Override
  public void close() throws IOException {
    for (Process child : children) {
      child.getOutputStream().close();
      try {
        if (!child.waitFor(5, TimeUnit.SECONDS)) {
          child.destroyForcibly();
        }
      } catch (InterruptedException e) {
        child.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    IOException failure = null;
    while (!open.isEmpty()) {
      try {
        open.pop().close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IOException("closing the loopback sockets", e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
