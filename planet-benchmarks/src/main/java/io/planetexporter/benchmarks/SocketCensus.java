package io.planetexporter.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * How many TCP sockets the kernel lists, by the states the benchmark cares about, so every result
 * says what it was measured on.
 *
 * @param established sockets in ESTABLISHED (two per loopback connection)
 * @param timeWait sockets in TIME_WAIT
 * @param total every line of {@code tcp} and {@code tcp6}
 */
record SocketCensus(int established, int timeWait, int total) {
  /** The sum of two censuses, e.g. of two namespaces. */
  SocketCensus plus(SocketCensus other) {
    return new SocketCensus(
        established + other.established, timeWait + other.timeWait, total + other.total);
  }

  /** Counts every TCP socket of {@code <procRoot>/net}: a process's namespace under /proc/<pid>. */
  static SocketCensus take(Path procRoot) throws IOException {
    return take(procRoot, (local, remote) -> true);
  }

  /**
   * Counts the harness's TCP sockets on {@code ports}: one end a worker's listener (127.0.0.1 on a
   * port in {@code ports}), the other a worker's source address (127.100.0.0 and above). Another
   * harness's client may hold one of those port numbers as its ephemeral port on a worker address
   * too, so the listener's end is matched by address and port together.
   */
  static SocketCensus take(Path procRoot, Set<Integer> ports) throws IOException {
    return take(
        procRoot,
        (local, remote) ->
            isListener(local, ports) && isWorkerAddress(remote)
                || isListener(remote, ports) && isWorkerAddress(local));
  }

  private static SocketCensus take(Path procRoot, BiPredicate<String, String> endpoints)
      throws IOException {
    int established = 0;
    int timeWait = 0;
    int total = 0;
    for (String file : new String[] {"net/tcp", "net/tcp6"}) {
      try (BufferedReader reader =
          Files.newBufferedReader(procRoot.resolve(file), StandardCharsets.US_ASCII)) {
        reader.readLine();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          // "  sl  local_address rem_address   st ...", addresses as "ADDRESS:PORT" in hex.
          String[] fields = line.trim().split("\\s+", 5);
          if (!endpoints.test(fields[1], fields[2])) {
            continue;
          }
          established += fields[3].equals("01") ? 1 : 0;
          timeWait += fields[3].equals("06") ? 1 : 0;
          total++;
        }
      }
    }
    return new SocketCensus(established, timeWait, total);
  }

  private static int port(String endpoint) {
    return Integer.parseInt(endpoint.substring(endpoint.indexOf(':') + 1), 16);
  }

  private static boolean isListener(String endpoint, Set<Integer> ports) {
    return ports.contains(port(endpoint)) && ipv4(endpoint) == LOOPBACK;
  }

  /** Whether an "ADDRESS:PORT" is 127.100.0.0 or above. */
  private static boolean isWorkerAddress(String endpoint) {
    int word = ipv4(endpoint);
    return (word & 0xff) == 127 && (word >>> 8 & 0xff) >= 100;
  }

  /** 127.0.0.1 as {@code /proc/net/tcp} prints it: the address's word in host (little) order. */
  private static final int LOOPBACK = 0x0100007F;

  /**
   * The IPv4 address of an "ADDRESS:PORT" as printed, in {@code tcp} or IPv4-mapped in {@code tcp6}
   * (Java's sockets are IPv6 sockets by default); 0 for any other IPv6 address.
   */
  private static int ipv4(String endpoint) {
    int colon = endpoint.indexOf(':');
    boolean mapped = colon == 32 && endpoint.startsWith("0000000000000000FFFF0000");
    if (colon != 8 && !mapped) {
      return 0;
    }
    return (int) Long.parseLong(endpoint.substring(colon - 8, colon), 16);
  }
}
