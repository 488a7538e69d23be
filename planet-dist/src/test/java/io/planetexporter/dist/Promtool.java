package io.planetexporter.dist;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Debian's {@code promtool}, the Prometheus project's own checker of the exposition format. */
public final class Promtool {

  private Promtool() {}

  /** What a promtool run printed (stdout and stderr together) and its exit status. */
  public record Result(int exitCode, String output) {}

  /**
   * Runs {@code promtool args...} in {@code dir}, e.g. {@code test rules planet.rules.test.yml}.
   */
  public static Result run(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("/usr/bin/promtool"));
    command.addAll(List.of(args));
    try {
      Process promtool =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      promtool.getOutputStream().close();
      String output = new String(promtool.getInputStream().readAllBytes(), UTF_8);
      if (!promtool.waitFor(60, TimeUnit.SECONDS)) {
        promtool.destroyForcibly();
        throw new IllegalStateException(command + " did not end within 60s");
      }
      return new Result(promtool.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Runs {@code promtool check metrics} on {@code text}.
   *
   * @return promtool's complaints, empty when the text is well-formed and follows the naming
   *     conventions
   */
  public static String checkMetrics(String text) {
    try {
      Process promtool =
          new ProcessBuilder("/usr/bin/promtool", "check", "metrics")
              .redirectErrorStream(true)
              .start();
      CompletableFuture<byte[]> output =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return promtool.getInputStream().readAllBytes();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      try (OutputStream stdin = promtool.getOutputStream()) {
        stdin.write(text.getBytes(UTF_8));
      }
      if (!promtool.waitFor(30, TimeUnit.SECONDS)) {
        promtool.destroyForcibly();
        throw new IllegalStateException("promtool check metrics did not end within 30s");
      }
      String complaints = new String(output.join(), UTF_8);
      if (promtool.exitValue() != 0 && complaints.isBlank()) {
        return "promtool exited with status " + promtool.exitValue();
      }
      return complaints;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run promtool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
