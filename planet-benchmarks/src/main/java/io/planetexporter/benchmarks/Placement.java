package io.planetexporter.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Where the benchmark's load lives, the exporter being in the root namespace either way: in the
 * root namespace too (the host placement), or in K network namespaces of their own (the container
 * placement: plain IPv4 clients from {@link #CONTAINER_SOURCES} source addresses in each, as on a
 * host of containers). The baselines ({@code ss}) run where the load is, once in each namespace.
 *
 * <pre>{@code
 * try (Placement containers = Placement.containers(10)) {
 *   CommandTimer.time(containers.whereTheLoadIs("ss -tan")); // ss in each of the 10 namespaces
 * }
 * }</pre>
 */
final class Placement implements AutoCloseable {

  /** Source addresses of the clients in each namespace of the container placement. */
  static final int CONTAINER_SOURCES = 256;

  private final List<String> namespaces;

  private Placement(List<String> namespaces) {
    this.namespaces = namespaces;
  }

  /** The load in the root namespace, with the exporter. */
  static Placement host() {
    return new Placement(List.of());
  }

  /**
   * The load in {@code count} new network namespaces (named {@code pb-<random>-<i>}, loopback up),
   * removed again by {@link #close()}. Needs root.
   */
  static Placement containers(int count) throws IOException, InterruptedException {
    if (count < 1) {
      throw new IllegalArgumentException("containers must be at least 1, got " + count);
    }
    String prefix = String.format(Locale.ROOT, "pb-%06x-", new Random().nextInt(1 << 24));
    Placement placement = new Placement(new ArrayList<>());
    try {
      for (int i = 0; i < count; i++) {
        String name = prefix + i;
        run("ip", "netns", "add", name);
        placement.namespaces.add(name);
        run("ip", "-n", name, "link", "set", "lo", "up");
      }
      return placement;
    } catch (IOException | InterruptedException | RuntimeException e) {
      placement.close();
      throw e;
    }
  }

  /** The namespaces holding the load; none for the host placement. */
  List<String> namespaces() {
    return List.copyOf(namespaces);
  }

  /** How the result tables name it. */
  String label() {
    return namespaces.isEmpty()
        ? "host"
        : namespaces.size() == 1 ? "container" : namespaces.size() + " containers";
  }

  /**
   * A shell command that runs {@code command} where the load is: as is for the host placement, else
   * once in each namespace through {@code nsenter} (a few milliseconds of its own CPU each).
   */
  String whereTheLoadIs(String command) {
    if (namespaces.isEmpty()) {
      return command;
    }
    StringBuilder each = new StringBuilder();
    for (String namespace : namespaces) {
      each.append(each.length() == 0 ? "" : " && ")
          .append("nsenter --net=/run/netns/")
          .append(namespace)
          .append(' ')
          .append(command);
    }
    return each.toString();
  }

  /**
   * The command prefix that starts the connection worker {@code worker} of {@code workers} in its
   * namespace (consecutive workers share one), or nothing for the host placement.
   */
  List<String> launcher(int worker, int workers) {
    if (namespaces.isEmpty()) {
      return List.of();
    }
    int namespace = (int) ((long) worker * namespaces.size() / workers);
    return List.of("nsenter", "--net=/run/netns/" + namespaces.get(namespace));
  }

  /** Deletes the namespaces (their sockets go with their last process). */
  @Override
  public void close() {
    for (String namespace : namespaces) {
      try {
        run("ip", "netns", "del", namespace);
      } catch (IOException e) {
        SocketstatBench.progress("cannot delete network namespace " + namespace + ": " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + ": " + output.strip());
    }
  }
}
