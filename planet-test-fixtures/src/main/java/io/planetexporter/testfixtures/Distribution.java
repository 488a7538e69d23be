package io.planetexporter.testfixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The tarball that the build assembled, unpacked with {@code tar} (which keeps the file modes, as
 * an operator's unpacking does).
 */
public final class Distribution {

  private static Path shared;

  private Distribution() {}

  /** The tarball built by planet-dist, as its failsafe passes it ({@code planet.dist.tarball}). */
  public static Path tarball() {
    String path = System.getProperty("planet.dist.tarball");
    if (path == null) {
      throw new IllegalStateException(
          "system property planet.dist.tarball is not set: run the ITs with `mvn verify`");
    }
    return Path.of(path);
  }

  /**
   * The distribution unpacked once per JVM, shared by every test that does not change it, and
   * deleted when the JVM exits.
   *
   * @return the unpacked {@code planet-exporter-<version>} directory
   */
  public static synchronized Path shared() {
    if (shared == null) {
      shared = unpackToTemporaryDirectory();
    }
    return shared;
  }

  /**
   * A private copy, for a test that changes it (e.g. drops a plugin into {@code lib/}); deleted
   * when the JVM exits.
   */
  public static Path unpackToTemporaryDirectory() {
    return unpackToTemporaryDirectory(tarball());
  }

  /** As {@link #unpackToTemporaryDirectory()}, of another tarball (e.g. the benchmarks'). */
  public static Path unpackToTemporaryDirectory(Path tarball) {
    try {
      Path dir = Files.createTempDirectory("planet-dist-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
      return unpack(tarball, dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Unpacks the tarball into {@code dir} and returns its single top directory. */
  public static Path unpack(Path dir) throws IOException {
    return unpack(tarball(), dir);
  }

  private static Path unpack(Path tarball, Path dir) throws IOException {
    Process tar =
        new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", dir.toString())
            .redirectErrorStream(true)
            .start();
    String output =
        new String(tar.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    try {
      if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) {
        throw new IOException("tar -xzf " + tarball + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while unpacking " + tarball, e);
    }
    try (Stream<Path> entries = Files.list(dir)) {
      List<Path> top = entries.toList();
      if (top.size() != 1 || !Files.isDirectory(top.get(0))) {
        throw new IOException("the tarball should hold one top directory, holds " + top);
      }
      return top.get(0);
    }
  }

  /**
   * The JVM options that {@code bin/planet-exporter} of the shared distribution passes when {@code
   * PLANET_EXPORTER_JAVA_OPTS} is unset: the one line of the script that operators and the
   * benchmarks tune.
   */
  public static List<String> defaultJavaOptions() throws IOException {
    Matcher line =
        Pattern.compile("(?m)^default_java_opts='([^']*)'$")
            .matcher(Files.readString(shared().resolve("bin/planet-exporter")));
    if (!line.find()) {
      throw new IOException("no default_java_opts='...' in bin/planet-exporter");
    }
    return List.of(line.group(1).split(" "));
  }

  /** The jar in {@code lib/} of {@code home} whose name starts with {@code artifactId-}. */
  public static Path libJar(Path home, String artifactId) throws IOException {
    try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
      return jars.filter(
              jar -> {
                String name = jar.getFileName().toString();
                return name.startsWith(artifactId + "-")
                    && Character.isDigit(name.charAt(artifactId.length() + 1));
              })
          .findFirst()
          .orElseThrow(
              () -> new IOException("no " + artifactId + " jar in " + home.resolve("lib")));
    }
  }

  /** Deletes {@code dir} and everything in it; nothing when it is null. */
  public static void deleteRecursively(Path dir) throws IOException {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      deleteRecursively(dir);
    } catch (IOException ignored) {
      // Best effort at JVM exit: a leftover temp directory is harmless.
    }
  }
}
