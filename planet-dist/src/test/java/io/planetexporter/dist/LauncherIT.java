package io.planetexporter.dist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.testfixtures.Distribution;
import io.planetexporter.testfixtures.ExporterProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/planet-exporter, the shell script operators start. */
class LauncherIT {

  private static final String VERSION = System.getProperty("planet.dist.version");

  @Nested
  class Jvm {

    @Test
    void execsTheJvmWithTheDefaultOptionsAndTheWholeLib() throws IOException {
      try (ExporterProcess exporter = ExporterProcess.start()) {
        List<String> command = commandLine(exporter);

        assertThat(Path.of(command.get(0)).getFileName()).hasToString("java");
        assertThat(command.subList(1, 1 + Distribution.defaultJavaOptions().size()))
            .containsExactlyElementsOf(Distribution.defaultJavaOptions());
        assertThat(command)
            .containsSubsequence(
                "-cp",
                Distribution.shared().resolve("lib").toRealPath() + "/*",
                "io.planetexporter.server.Main",
                "-listen-address=127.0.0.1:0");
      }
    }

    @Test
    void javaOptionsFromTheEnvironmentReplaceTheDefaults() throws IOException {
      try (ExporterProcess exporter =
          ExporterProcess.builder()
              .env("PLANET_EXPORTER_JAVA_OPTS", "-Xmx96m -Dplanet.test=a*b")
              .start()) {
        List<String> command = commandLine(exporter);

        assertThat(command)
            .contains("-Xmx96m", "-Dplanet.test=a*b")
            .doesNotContainAnyElementsOf(Distribution.defaultJavaOptions());
      }
    }

    @Test
    void limitsGlibcMallocArenasUnlessTheEnvironmentSetsThem() throws IOException {
      // Empty counts as unset, whatever the tests' own environment holds.
      try (ExporterProcess byDefault =
              ExporterProcess.builder().env("MALLOC_ARENA_MAX", "").start();
          ExporterProcess chosen = ExporterProcess.builder().env("MALLOC_ARENA_MAX", "8").start()) {
        assertThat(environment(byDefault)).contains("MALLOC_ARENA_MAX=2");
        assertThat(environment(chosen))
            .contains("MALLOC_ARENA_MAX=8")
            .doesNotContain("MALLOC_ARENA_MAX=2");
      }
    }

    @Test
    void servesWithoutBootingJmx(@TempDir Path dir) throws IOException {
      // Jetty would boot the platform MBean server to learn how wide a reference is: 3 MiB.
      Path classes = dir.resolve("classes.log");
      try (ExporterProcess exporter =
          ExporterProcess.builder()
              .env(
                  "PLANET_EXPORTER_JAVA_OPTS",
                  String.join(" ", Distribution.defaultJavaOptions())
                      + " -Xlog:class+load=info:file="
                      + classes)
              .start()) {
        assertThat(exporter.scrape()).contains("planet_exporter_build_info{");
      }

      List<String> loaded = Files.readAllLines(classes);
      assertThat(loaded).anyMatch(line -> line.contains(" org.eclipse.jetty.server.Server "));
      assertThat(loaded).noneMatch(line -> line.contains(" javax.management."));
    }

    @Test
    void givesTheFirstRunsMemoryBackWithOneFullCollectionOnceReady(@TempDir Path dir)
        throws Exception {
      Path gc = dir.resolve("gc.log");
      try (ExporterProcess exporter =
          ExporterProcess.builder()
              .env(
                  "PLANET_EXPORTER_JAVA_OPTS",
                  String.join(" ", Distribution.defaultJavaOptions()) + " -Xlog:gc:file=" + gc)
              .start()) {
        exporter.awaitReady(Duration.ofSeconds(60));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Files.readAllLines(gc).stream().noneMatch(l -> l.contains("System.gc()"))
            && Instant.now().isBefore(deadline)) {
          Thread.sleep(100);
        }
      }

      assertThat(
              Files.readAllLines(gc).stream().filter(l -> l.contains("Pause Full (System.gc())")))
          .hasSize(1);
    }

    private static List<String> environment(ExporterProcess exporter) throws IOException {
      String environ = Files.readString(Path.of("/proc", Long.toString(exporter.pid()), "environ"));
      return Arrays.asList(environ.split("\0"));
    }

    private static List<String> commandLine(ExporterProcess exporter) throws IOException {
      String cmdline = Files.readString(Path.of("/proc", Long.toString(exporter.pid()), "cmdline"));
      return Arrays.asList(cmdline.split("\0"));
    }
  }

  @Nested
  class Location {

    @Test
    void runsThroughAChainOfSymlinks(@TempDir Path dir) throws IOException {
      Files.createSymbolicLink(
          dir.resolve("first"), Distribution.shared().resolve("bin/planet-exporter"));
      Files.createDirectory(dir.resolve("bin"));
      Path link = Files.createSymbolicLink(dir.resolve("bin/planet-exporter"), Path.of("../first"));

      ExporterProcess.Result run = run(link.toString(), "-version");

      assertThat(run.exitCode()).as(run.stderr()).isZero();
      assertThat(run.stdout() + run.stderr()).contains(VERSION);
    }
  }

  @Nested
  class Java {

    @Test
    void refusesAJavaOlderThan17(@TempDir Path javaHome) throws IOException {
      fakeJava(javaHome, "java version \"1.8.0_392\"");

      ExporterProcess.Result run = runWithJavaHome(javaHome);

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.stderr())
          .isEqualTo(
              "planet-exporter: "
                  + javaHome.resolve("bin/java")
                  + " is Java 1.8.0_392; planet-exporter needs Java 17 or newer (set JAVA_HOME)\n");
    }

    @Test
    void acceptsAJavaNewerThan17(@TempDir Path javaHome) throws IOException {
      fakeJava(javaHome, "openjdk version \"21.0.2\" 2024-01-16");

      ExporterProcess.Result run = runWithJavaHome(javaHome);

      assertThat(run.exitCode()).as(run.stderr()).isZero();
      assertThat(run.stdout()).contains("io.planetexporter.server.Main");
    }

    @Test
    void saysSoWhenJavaHomeHasNoJava(@TempDir Path javaHome) {
      ExporterProcess.Result run = runWithJavaHome(javaHome);

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.stderr()).startsWith("planet-exporter: JAVA_HOME is " + javaHome);
    }

    /** A java that prints {@code version} for -version and its arguments otherwise. */
    private static void fakeJava(Path javaHome, String version) throws IOException {
      Path java = Files.createDirectories(javaHome.resolve("bin")).resolve("java");
      Files.writeString(
          java,
          """
          #!/bin/sh
          if [ "$1" = -version ]; then echo '%s' >&2; else echo "$@"; fi
          """
              .formatted(version),
          UTF_8);
      Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static ExporterProcess.Result runWithJavaHome(Path javaHome) {
      return ExporterProcess.builder().env("JAVA_HOME", javaHome.toString()).run();
    }
  }

  private static ExporterProcess.Result run(String... command) throws IOException {
    Process process = new ProcessBuilder(command).start();
    try {
      String stdout = new String(process.getInputStream().readAllBytes(), UTF_8);
      String stderr = new String(process.getErrorStream().readAllBytes(), UTF_8);
      return new ExporterProcess.Result(process.waitFor(), stdout, stderr);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      process.destroyForcibly();
    }
  }
}
