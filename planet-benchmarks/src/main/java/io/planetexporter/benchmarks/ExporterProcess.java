package io.planetexporter.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real exporter, started from an unpacked tarball with {@code bin/planet-exporter} (so with the
 * JVM flags it ships) on {@code 127.0.0.1:0}.
 */
final class ExporterProcess implements AutoCloseable {
  private static final Pattern ADDRESS = Pattern.compile("address=\"?127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final ProcessHandle java;
  private final int port;

  private final Thread onExit;

  private ExporterProcess(Process process, ProcessHandle java, int port) {
    this.process = process;
    this.java = java;
    this.port = port;
    this.onExit = new Thread(this::close, "stop-exporter-" + java.pid());
    // An interrupted benchmark (Ctrl-C) must not leave exporters behind.
    Runtime.getRuntime().addShutdownHook(onExit);
  }

  /**
   * Starts {@code <home>/bin/planet-exporter} and returns once it serves HTTP.
   *
   * @param javaOpts JVM options instead of the shipped ones ({@code PLANET_EXPORTER_JAVA_OPTS}), or
   *     null to run with the shipped ones
   */
  static ExporterProcess start(Path home, String javaOpts, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/planet-exporter").toString());
    command.add("-listen-address");
    command.add("127.0.0.1:0");
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("PLANET_EXPORTER_JAVA_OPTS");
    if (javaOpts != null) {
      builder.environment().put("PLANET_EXPORTER_JAVA_OPTS", javaOpts);
    }
    Process process = builder.start();
    try {
      int port = awaitListening(process);
      return new ExporterProcess(process, javaOf(process.toHandle()), port);
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /**
   * Reads stderr until the "listening" line, then keeps draining it so the process never blocks.
   */
  private static int awaitListening(Process process) throws IOException {
    BufferedReader stderr =
        new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> port = new CompletableFuture<>();
    StringBuilder seen = new StringBuilder();
    Thread drain =
        new Thread(
            () -> {
              try {
                for (String line = stderr.readLine(); line != null; line = stderr.readLine()) {
                  Matcher matcher = ADDRESS.matcher(line);
                  if (!port.isDone() && line.contains("msg=\"listening\"") && matcher.find()) {
                    port.complete(Integer.parseInt(matcher.group(1)));
                  } else if (!port.isDone()) {
                    seen.append(line).append('\n');
                  } else if (line.contains("level=error") || line.contains("level=warn")) {
                    System.err.println("exporter: " + line);
                  }
                }
                port.completeExceptionally(new IOException("exporter exited:\n" + seen));
              } catch (IOException e) {
                port.completeExceptionally(e);
              }
            },
            "exporter-stderr");
    drain.setDaemon(true);
    drain.start();
    try {
      return port.get(120, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException("exporter did not start", e.getCause());
    } catch (TimeoutException | InterruptedException e) {
      throw new IOException("exporter did not log \"listening\" in 120 s:\n" + seen, e);
    }
  }

  /** The java process: the launcher itself when the script execs java, else its child. */
  private static ProcessHandle javaOf(ProcessHandle launcher) {
    if (launcher.info().command().filter(command -> command.endsWith("/java")).isPresent()) {
      return launcher;
    }
    return launcher.children().findFirst().orElse(launcher);
  }

  long pid() {
    return java.pid();
  }

  ProcessUsage usage() throws IOException {
    return ProcessUsage.read(Path.of("/proc"), java.pid());
  }

  /**
   * GETs a path with curl, as a scraper would; fails on any status but 200. Not Java's HttpClient:
   * on loopback here it adds about 40 ms to every request (curl and Go clients do not).
   */
  Fetched get(String path) throws IOException, InterruptedException {
    Process curl =
        new ProcessBuilder(
                "curl",
                "-sS",
                "--fail",
                "--max-time",
                "60",
                "-o",
                "-",
                "-w",
                "\n%{time_total}",
                "http://127.0.0.1:" + port + path)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (curl.waitFor() != 0) {
      throw new IOException("GET " + path + ": curl exit status " + curl.exitValue());
    }
    int lastLine = out.lastIndexOf('\n');
    return new Fetched(
        out.substring(0, lastLine), Double.parseDouble(out.substring(lastLine + 1)) * 1000);
  }

  /**
   * One response.
   *
   * @param body the response body
   * @param millis curl's total time, from connect to the last byte
   */
  record Fetched(String body, double millis) {}

  /** Whether /-/ready answers 200 (every enabled task finished its first run). */
  boolean ready() throws InterruptedException {
    try {
      get("/-/ready");
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the exporter with SIGTERM and waits for it. */
  @Override
  public void close() {
    if (Thread.currentThread() != onExit) {
      try {
        Runtime.getRuntime().removeShutdownHook(onExit);
      } catch (IllegalStateException ignored) {
        // The JVM is shutting down: the hook stops the exporter too, stopping twice is harmless.
      }
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    // A launcher that did not exec java may leave it behind; the handle knows its start time.
    java.destroyForcibly();
  }

  /** Unpacks the tarball into a new temporary directory and returns the exporter's home in it. */
  static Path unpack(Path tarball) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("planet-bench-");
    Process tar =
        new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", dir.toString())
            .inheritIO()
            .start();
    if (tar.waitFor() != 0) {
      throw new IOException("tar failed on " + tarball);
    }
    try (var entries = Files.list(dir)) {
      return entries
          .filter(Files::isDirectory)
          .findFirst()
          .orElseThrow(() -> new IOException(tarball + " holds no directory"));
    }
  }
}
