package io.planetexporter.dist;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a tool of the machine (openssl, curl, htpasswd) to its end, within 60 seconds. */
final class Command {

  /** How the tool ended; stderr is merged into the output. */
  record Result(int exitCode, String output) {}

  private Command() {}

  static Result run(Path dir, String... command) {
    try {
      Path log = File.createTempFile("planet-command-", ".log").toPath();
      try {
        Process process =
            new ProcessBuilder(List.of(command))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(String.join(" ", command) + " did not end within 60s");
        }
        return new Result(process.exitValue(), java.nio.file.Files.readString(log, UTF_8));
      } finally {
        java.nio.file.Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command[0], e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Runs it and fails unless it exits 0. */
  static String ok(Path dir, String... command) {
    Result result = run(dir, command);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " exited " + result.exitCode() + ":\n" + result.output());
    }
    return result.output();
  }

  /**
   * The bcrypt hash {@code htpasswd -nbB} makes of {@code password}, for {@code basic_auth_users}.
   */
  static String bcrypt(Path dir, String user, String password) {
    String line = ok(dir, "htpasswd", "-nbB", user, password).strip();
    return line.substring(line.indexOf(':') + 1);
  }
}
