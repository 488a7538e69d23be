package io.planetexporter.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many TCP sockets the kernel lists, by the states the benchmark cares about, so every result
 * says what it was measured on.
 *
 * @param established sockets in ESTABLISHED (two per loopback connection)
 * @param timeWait sockets in TIME_WAIT
 * @param total every line of {@code tcp} and {@code tcp6}
 */
record SocketCensus(int established, int timeWait, int total) {
  static SocketCensus take(Path procRoot) throws IOException {
    int established = 0;
    int timeWait = 0;
    int total = 0;
    for (String file : new String[] {"net/tcp", "net/tcp6"}) {
      try (BufferedReader reader =
          Files.newBufferedReader(procRoot.resolve(file), StandardCharsets.US_ASCII)) {
        reader.readLine();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          // "  sl  local_address rem_address   st ...": the state is the fourth field.
          String state = line.trim().split("\\s+", 5)[3];
          established += state.equals("01") ? 1 : 0;
          timeWait += state.equals("06") ? 1 : 0;
          total++;
        }
      }
    }
    return new SocketCensus(established, timeWait, total);
  }
}
