package io.planetexporter.dist;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.planetexporter.testfixtures.ExporterProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * {@link SocketHelper} JVMs named as the test wants ({@code comm}), started behind a command such
 * as {@code ip netns exec <ns>}, and the root-only plumbing of the ITs that use them. {@link
 * #stopAll()} ends every helper it started (by closing its stdin, then by its handle).
 */
final class SocketHelpers {

  private final Path temp;
  private final List<Process> helpers = new ArrayList<>();
  private final Map<Process, BufferedReader> replies = new HashMap<>();

  /**
   * @param temp where the named links to {@code java} go
   */
  SocketHelpers(Path temp) {
    this.temp = temp;
  }

  static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** Runs {@code ip args}, failing with its output unless it succeeds. */
  static void ip(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + ": " + output);
    }
  }

  /**
   * Creates a bridge in the root namespace with {@code bridgeIp}/24, and a network namespace for
   * each entry of {@code namespaces} with that address/24 on a veth pair to the bridge (ends named
   * {@code <veth>o<n>} and {@code <veth>i<n>}), its default route through the bridge. Deleting the
   * namespaces and the bridge removes it all.
   */
  static void bridgedNamespaces(
      String bridge, String bridgeIp, Map<String, String> namespaces, String veth)
      throws Exception {
    ip("link", "add", bridge, "type", "bridge");
    ip("addr", "add", bridgeIp + "/24", "dev", bridge);
    ip("link", "set", bridge, "up");
    int n = 0;
    for (Map.Entry<String, String> namespace : namespaces.entrySet()) {
      String ns = namespace.getKey();
      String outside = veth + "o" + n;
      String inside = veth + "i" + n++;
      ip("netns", "add", ns);
      ip("link", "add", outside, "type", "veth", "peer", "name", inside);
      ip("link", "set", outside, "master", bridge);
      ip("link", "set", outside, "up");
      ip("link", "set", inside, "netns", ns);
      ip("-n", ns, "link", "set", "lo", "up");
      ip("-n", ns, "addr", "add", namespace.getValue() + "/24", "dev", inside);
      ip("-n", ns, "link", "set", inside, "up");
      ip("-n", ns, "route", "add", "default", "via", bridgeIp);
    }
  }

  /** Creates two network namespaces joined by a veth pair whose ends are named as given. */
  static void joinedNamespaces(String nsA, String endA, String nsB, String endB) throws Exception {
    ip("netns", "add", nsA);
    ip("netns", "add", nsB);
    ip("link", "add", endA, "type", "veth", "peer", "name", endB);
    ip("link", "set", endA, "netns", nsA);
    ip("link", "set", endB, "netns", nsB);
  }

  /**
   * GET {@code path} of an exporter that listens on loopback inside network namespace {@code ns},
   * with curl run there.
   */
  static String getIn(String ns, ExporterProcess exporter, String path) {
    try {
      return Command.ok(
          Path.of("."),
          "ip",
          "netns",
          "exec",
          ns,
          "curl",
          "-sf",
          "http://127.0.0.1:" + exporter.port() + path);
    } catch (IllegalStateException e) {
      throw new IllegalStateException("GET " + path + " failed; stderr:\n" + exporter.stderr(), e);
    }
  }

  /**
   * Scrapes an exporter inside a namespace (as {@link #getIn}) until {@code done} holds of the
   * text, or {@code patience} has passed; the last text either way.
   */
  static String awaitScrapeIn(
      String ns, ExporterProcess exporter, Predicate<String> done, Duration patience)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(patience);
    String text = "";
    while (Instant.now().isBefore(deadline)) {
      text = getIn(ns, exporter, "/metrics");
      if (done.test(text)) {
        return text;
      }
      Thread.sleep(300);
    }
    return text;
  }

  /** Deletes a directory and everything in it. */
  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  /** Runs a command for its effect, whatever its outcome (clean-up). */
  static void runQuietly(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    process.waitFor();
  }

  /**
   * Starts a helper whose {@code comm} is {@code name}, behind {@code prefix} (e.g. {@code ip netns
   * exec ns}; {@code exec}s all the way, so the helper keeps the pid the prefix started with).
   */
  Process start(List<String> prefix, String name) throws IOException, URISyntaxException {
    return start(prefix, name, SocketHelper.class);
  }

  /** As {@link #start(List, String)}, with another helper program of the test classes. */
  Process start(List<String> prefix, String name, Class<?> main)
      throws IOException, URISyntaxException {
    Path link = temp.resolve(name);
    if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(
          link, Path.of(ProcessHandle.current().info().command().orElseThrow()));
    }
    Path classes = Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> command = new ArrayList<>(prefix);
    command.addAll(
        List.of(
            link.toString(),
            "-Xmx32m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            classes.toString(),
            main.getName()));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    helpers.add(process);
    return process;
  }

  /** Sends one command line and returns the helper's answer ({@code ok} or {@code error ...}). */
  String command(Process helper, String line) throws IOException {
    OutputStream in = helper.getOutputStream();
    in.write((line + "\n").getBytes(UTF_8));
    in.flush();
    return replies
        .computeIfAbsent(
            helper, p -> new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8)))
        .readLine();
  }

  void stopAll() throws IOException, InterruptedException {
    for (Process helper : helpers) {
      helper.getOutputStream().close();
      if (!helper.waitFor(5, TimeUnit.SECONDS)) {
        helper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }
}
