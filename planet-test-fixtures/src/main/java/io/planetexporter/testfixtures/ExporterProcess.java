package io.planetexporter.testfixtures;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The exporter started from the unpacked tarball's {@code bin/planet-exporter}, as an operator
 * starts it: for the distribution's integration tests and the benchmarks.
 *
 * <pre>{@code
 * try (ExporterProcess exporter = ExporterProcess.start("-task-socketstat-enabled")) {
 *   assertThat(exporter.scrape()).contains("planet_hostname{");
 *   assertThat(exporter.stop()).isZero();
 * }
 * }</pre>
 *
 * <p>Unless the arguments name {@code -listen-address}, the exporter binds {@code 127.0.0.1:0}; the
 * port is read from its {@code msg="listening" address=...} log line. The environment is the test
 * JVM's without any {@code PLANET_*} variable, plus what the builder adds. Every process still
 * running when the JVM exits is killed.
 */
public final class ExporterProcess implements AutoCloseable {

  private static final Pattern LISTENING_ADDRESS =
      Pattern.compile("\"?address\"?[=:]\"?([^\"\\s,}]+)");
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  private static final Set<Process> running = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> running.forEach(Process::destroyForcibly)));
  }

  private final Process process;
  private final Output stdout;
  private final Output stderr;
  private final String host;
  private final int port;
  private final TestHttpClient http = TestHttpClient.create().timeout(Duration.ofSeconds(10));

  private ExporterProcess(Process process, Output stdout, Output stderr, String address) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
    int colon = address.lastIndexOf(':');
    String boundHost = address.substring(0, colon);
    this.port = Integer.parseInt(address.substring(colon + 1));
    // Connect to loopback when the exporter listens on a wildcard address.
    switch (boundHost) {
      case "0.0.0.0":
      case "":
        this.host = "127.0.0.1";
        break;
      case "[::]":
        this.host = "[::1]";
        break;
      default:
        this.host = boundHost;
    }
  }

  /** Starts the exporter of the shared unpacked tarball with {@code args}; see {@link Builder}. */
  public static ExporterProcess start(String... args) {
    return builder().args(args).start();
  }

  /** Runs the exporter to its end (e.g. {@code -h}, a bad flag) and returns what it did. */
  public static Result run(String... args) {
    return builder().args(args).run();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What a process that ran to its end did. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /** How to start the exporter; every setter is optional. */
  public static final class Builder {
    private Path home;
    private String program = "planet-exporter";
    private String subcommand = "";
    private final List<String> prefix = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private Duration timeout = Duration.ofSeconds(30);

    private Builder() {}

    /** The unpacked distribution to start; default {@link Distribution#shared()}. */
    public Builder home(Path home) {
      this.home = home;
      return this;
    }

    /** The program of {@code bin/} to start; default {@code planet-exporter}. */
    public Builder program(String name) {
      this.program = name;
      return this;
    }

    /**
     * A subcommand of the program, e.g. {@code diff} of planet-map: it comes first, and no {@code
     * -listen-address} is added (a command that runs to its end listens nowhere).
     */
    public Builder subcommand(String name) {
      this.subcommand = name;
      return this;
    }

    /** A command that runs the exporter, e.g. {@code "ip", "netns", "exec", "ns1"}. */
    public Builder prefix(String... command) {
      prefix.addAll(Arrays.asList(command));
      return this;
    }

    /** Arguments of the exporter, added to those given before. */
    public Builder args(String... args) {
      this.args.addAll(Arrays.asList(args));
      return this;
    }

    /** An environment variable of the exporter. */
    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    /** How long {@link #start()} waits for the listening line, {@link #run()} for the end. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * Starts the exporter and waits until it listens.
     *
     * @throws IllegalStateException when it exits or does not listen in time, with its stderr
     */
    public ExporterProcess start() {
      Process process = launch();
      Output stdout = Output.drain(process.getInputStream(), "stdout");
      Output stderr = Output.drain(process.getErrorStream(), "stderr");
      try {
        CompletableFuture.anyOf(stderr.listeningAddress, process.onExit())
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (stderr.listeningAddress.isDone()) {
          return new ExporterProcess(process, stdout, stderr, stderr.listeningAddress.join());
        }
        process.waitFor();
        stderr.awaitEnd();
        throw new IllegalStateException(
            "exporter exited with status "
                + process.exitValue()
                + " before listening; stderr:\n"
                + stderr.text());
      } catch (TimeoutException e) {
        throw new IllegalStateException(
            "exporter did not log its listening address within "
                + timeout
                + "; stderr:\n"
                + stderr.text(),
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the exporter", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e);
      } finally {
        if (!stderr.listeningAddress.isDone()) {
          kill(process);
        }
      }
    }

    /** Runs the exporter to its end, killing it if it runs longer than the timeout. */
    public Result run() {
      Process process = launch();
      Output stdout = Output.drain(process.getInputStream(), "stdout");
      Output stderr = Output.drain(process.getErrorStream(), "stderr");
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException(
              "exporter still running after " + timeout + "; stderr:\n" + stderr.text());
        }
        stdout.awaitEnd();
        stderr.awaitEnd();
        return new Result(process.exitValue(), stdout.text(), stderr.text());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while running the exporter", e);
      } finally {
        kill(process);
      }
    }

    private Process launch() {
      Path dir = home != null ? home : Distribution.shared();
      List<String> command = new ArrayList<>(prefix);
      command.add(dir.resolve("bin").resolve(program).toString());
      if (!subcommand.isEmpty()) {
        command.add(subcommand);
      } else if (args.stream().noneMatch(arg -> arg.matches("--?listen-address(=.*)?"))) {
        command.add("-listen-address=127.0.0.1:0");
      }
      command.addAll(args);
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().keySet().removeIf(name -> name.startsWith("PLANET_"));
      builder.environment().putAll(env);
      try {
        Process process = builder.start();
        running.add(process);
        return process;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + command, e);
      }
    }
  }

  public long pid() {
    return process.pid();
  }

  /**
   * A field of the process's {@code /proc/<pid>/status} in KiB, e.g. {@code VmRSS} or {@code VmHWM}
   * (the peak RSS).
   */
  public long statusKib(String field) {
    Path status = Path.of("/proc/" + pid() + "/status");
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + status, e);
    }
    throw new IllegalStateException("no " + field + " in " + status);
  }

  /** The port the exporter listens on. */
  public int port() {
    return port;
  }

  /** {@code http://<host>:<port><path>} of the exporter. */
  public URI uri(String path) {
    return URI.create("http://" + host + ":" + port + path);
  }

  /** {@code host:port}, as a Prometheus scrape target. */
  public String target() {
    return host + ":" + port;
  }

  /** GET /metrics, which must answer 200. */
  public String scrape() {
    HttpResponse<String> response = get("/metrics");
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "GET /metrics answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  /**
   * GET of {@code path} with headers given as name, value, name, value...; the body as UTF-8 text.
   */
  public HttpResponse<String> get(String path, String... headers) {
    return send(path, headers, BodyHandlers.ofString(UTF_8));
  }

  /** As {@link #get}, with the body's bytes as they came (e.g. still gzip-encoded). */
  public HttpResponse<byte[]> getBytes(String path, String... headers) {
    return send(path, headers, BodyHandlers.ofByteArray());
  }

  private <T> HttpResponse<T> send(String path, String[] headers, BodyHandler<T> handler) {
    try {
      return http.send(http.request(uri(path), headers), handler);
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + uri(path) + "; stderr:\n" + stderr(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during GET " + uri(path), e);
    }
  }

  /** Polls {@code /-/ready} until it answers 200 (every enabled task has run once). */
  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (get("/-/ready").statusCode() != 200) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not ready within " + timeout + "; stderr:\n" + stderr());
      }
      sleep(Duration.ofMillis(50));
    }
  }

  /** Everything the exporter wrote to stderr so far. */
  public String stderr() {
    return stderr.text();
  }

  /** Everything the exporter wrote to stdout so far. */
  public String stdout() {
    return stdout.text();
  }

  /**
   * Waits until the exporter's stderr contains {@code fragment}.
   *
   * @return all of stderr at that time
   * @throws IllegalStateException after {@code timeout}, with the stderr
   */
  public String awaitStderr(String fragment, Duration timeout) {
    return stderr.await(fragment, timeout);
  }

  /** Scrapes until the metrics satisfy {@code done}; returns them. */
  public String awaitScrape(java.util.function.Predicate<String> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String metrics = scrape();
      if (done.test(metrics)) {
        return metrics;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "metrics not as awaited within "
                + timeout
                + ":\n"
                + metrics
                + "\nstderr:\n"
                + stderr());
      }
      sleep(Duration.ofMillis(100));
    }
  }

  /** Sends SIGTERM, waits for the exit and returns its status. */
  public int stop() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(process);
        throw new IllegalStateException(
            "exporter did not stop within "
                + STOP_TIMEOUT
                + " of SIGTERM; killed it; stderr:\n"
                + stderr());
      }
      stderr.awaitEnd();
      running.remove(process);
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill(process);
      throw new IllegalStateException("interrupted while stopping the exporter", e);
    }
  }

  /** Ends the process whatever its state: SIGTERM, then SIGKILL if it does not exit promptly. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    kill(process);
  }

  private static void kill(Process process) {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    running.remove(process);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** One output stream of the process, read to its end by a daemon thread. */
  private static final class Output {
    private final StringBuilder text = new StringBuilder();
    private final CompletableFuture<String> listeningAddress = new CompletableFuture<>();
    private final CompletableFuture<Void> end = new CompletableFuture<>();

    static Output drain(InputStream stream, String name) {
      Output output = new Output();
      Thread reader = new Thread(() -> output.read(stream), "exporter-" + name);
      reader.setDaemon(true);
      reader.start();
      return output;
    }

    private void read(InputStream stream) {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          synchronized (this) {
            text.append(line).append('\n');
            notifyAll();
          }
          if (!listeningAddress.isDone() && line.contains("listening")) {
            Matcher address = LISTENING_ADDRESS.matcher(line);
            if (address.find()) {
              listeningAddress.complete(address.group(1));
            }
          }
        }
      } catch (IOException ignored) {
        // The stream closes when the process dies; what was read is kept.
      } finally {
        end.complete(null);
      }
    }

    synchronized String text() {
      return text.toString();
    }

    synchronized String await(String fragment, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (text.indexOf(fragment) < 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || end.isDone()) {
          throw new IllegalStateException(
              "no \"" + fragment + "\" in stderr within " + timeout + ":\n" + text);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
      return text.toString();
    }

    void awaitEnd() {
      try {
        end.get(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException ignored) {
        // A grandchild may hold the stream open; what was read so far is enough.
      }
    }
  }
}
