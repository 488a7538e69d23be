package io.planetexporter.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Opens N established TCP connections on loopback, spread over several {@link ConnectionWorker}
 * processes (the per-process fd limit here is 20,000 and each connection holds two), and closes
 * them all again.
 *
 * <pre>{@code
 * try (ConnectionHarness harness = ConnectionHarness.open(40_000, 0, 0)) {
 *   // 40,000 ESTABLISHED connections, 80,000 sockets, exist until close()
 * }
 * }</pre>
 */
final class ConnectionHarness implements AutoCloseable {
  /** Connections per worker process: 2 fds each, well under a 20,000 fd limit. */
  static final int CONNECTIONS_PER_WORKER = 8_000;

  private static final int MIN_WORKERS = 2;

  private final List<Process> workers = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private int churnPort = -1;

  private ConnectionHarness() {}

  /**
   * Starts the workers and returns once every connection is established.
   *
   * @param established ESTABLISHED connections to hold
   * @param timeWait client-closed connections to leave in TIME_WAIT (for the kernel's 60 s)
   * @param churnPerSecond when positive, one more worker holds {@link #churnHeld} connections and
   *     replaces {@code churnPerSecond} of them every second
   */
  static ConnectionHarness open(int established, int timeWait, int churnPerSecond)
      throws IOException {
    return open(established, timeWait, churnPerSecond, Placement.host());
  }

  /**
   * As {@link #open(int, int, int)}, with the workers where {@code placement} puts the load: in the
   * container placement each namespace gets the same share of workers and connections, and its
   * workers hold plain IPv4 sockets from {@link Placement#CONTAINER_SOURCES} source addresses.
   */
  static ConnectionHarness open(
      int established, int timeWait, int churnPerSecond, Placement placement) throws IOException {
    ConnectionHarness harness = new ConnectionHarness();
    try {
      int namespaces = Math.max(1, placement.namespaces().size());
      int perNamespace = (established + namespaces - 1) / namespaces;
      int workerCount =
          placement.namespaces().isEmpty()
              ? Math.max(
                  MIN_WORKERS, (established + CONNECTIONS_PER_WORKER - 1) / CONNECTIONS_PER_WORKER)
              : namespaces
                  * Math.max(
                      1, (perNamespace + CONNECTIONS_PER_WORKER - 1) / CONNECTIONS_PER_WORKER);
      for (int i = 0; i < workerCount; i++) {
        int share = established / workerCount + (i < established % workerCount ? 1 : 0);
        int timeWaitShare = timeWait / workerCount + (i < timeWait % workerCount ? 1 : 0);
        harness.start(i, share, timeWaitShare, 0, placement.launcher(i, workerCount));
      }
      if (churnPerSecond > 0) {
        harness.start(
            workerCount,
            churnHeld(churnPerSecond),
            0,
            churnPerSecond,
            placement.launcher(workerCount - 1, workerCount));
      }
      harness.awaitReady();
      if (churnPerSecond > 0) {
        harness.churnPort = harness.ports.get(workerCount);
      }
      return harness;
    } catch (IOException | RuntimeException e) {
      harness.close();
      throw e;
    }
  }

  /** Connections the churn worker holds: ten seconds' worth, within one worker's fd limit. */
  static int churnHeld(int churnPerSecond) {
    return Math.min(10 * churnPerSecond, CONNECTIONS_PER_WORKER);
  }

  /**
   * @param launcher the command that starts the worker in its network namespace, or none; a worker
   *     started through one holds plain IPv4 sockets from {@link Placement#CONTAINER_SOURCES}
   *     addresses (Java's are IPv6 sockets otherwise, IPv4-mapped)
   */
  private void start(
      int index, int connections, int timeWait, int churnPerSecond, List<String> launcher)
      throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(launcher);
    command.addAll(
        List.of(java.toString(), "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    if (!launcher.isEmpty()) {
      command.add("-Djava.net.preferIPv4Stack=true");
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            ConnectionWorker.class.getName(),
            Integer.toString(index),
            Integer.toString(connections),
            Integer.toString(timeWait),
            Integer.toString(churnPerSecond),
            Integer.toString(launcher.isEmpty() ? 0 : Placement.CONTAINER_SOURCES)));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    workers.add(process);
  }

  /** The workers open their connections in parallel; each says when it is done. */
  private void awaitReady() throws IOException {
    for (int i = 0; i < workers.size(); i++) {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(workers.get(i).getInputStream(), StandardCharsets.US_ASCII));
      String line = out.readLine();
      if (line == null || !line.startsWith("ready ")) {
        throw new IOException("connection worker " + i + " failed to start: " + line);
      }
      ports.add(Integer.parseInt(line.substring("ready ".length())));
    }
  }

  /** The pids of the worker processes. */
  List<Long> pids() {
    return workers.stream().map(Process::pid).toList();
  }

  /** The listener ports of the workers, in worker order. */
  List<Integer> ports() {
    return List.copyOf(ports);
  }

  /** The listener port of the churning worker, -1 without churn. */
  int churnPort() {
    return churnPort;
  }

  /** Closes every connection (with resets, leaving no TIME_WAIT) and waits for the workers. */
  @Override
  public void close() {
    for (Process worker : workers) {
      try {
        worker.getOutputStream().close();
      } catch (IOException ignored) {
        // The worker is gone already: nothing left to close.
      }
    }
    for (Process worker : workers) {
      try {
        if (!worker.waitFor(60, TimeUnit.SECONDS)) {
          worker.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        worker.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    workers.clear();
  }
}
