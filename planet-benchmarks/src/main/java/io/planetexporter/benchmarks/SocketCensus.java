package io.planetexporter.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntPredicate;

/**
 * How many TCP sockets the kernel lists, by the states the benchmark cares about, so every result
 * says what it was measured on.
 *
 * @param established sockets in ESTABLISHED (two per loopback connection)
 * @param timeWait sockets in TIME_WAIT
 * @param total every line of {@code tcp} and {@code tcp6}
 */
record SocketCensus(int established, int timeWait, int total) {
  /** Counts every TCP socket. */
  static SocketCensus take(Path procRoot) throws IOException {
    return take(procRoot, port -> true);
  }

  /** Counts the TCP sockets whose local or remote port passes {@code ports}. */
  static SocketCensus take(Path procRoot, IntPredicate ports) throws IOException {
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
          if (!ports.test(port(fields[1])) && !ports.test(port(fields[2]))) {
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

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
  }
}
