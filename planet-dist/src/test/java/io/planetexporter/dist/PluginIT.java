package io.planetexporter.dist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.testfixtures.Distribution;
import io.planetexporter.testfixtures.ExporterProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third party's task, built here from source against nothing but the tarball's {@code lib/},
 * dropped into {@code lib/} of a private copy of the distribution: the program finds it with no
 * change anywhere else.
 */
class PluginIT {

  private static final Path fixtures = fixtures();
  private static final Path pluginSources = fixtures.resolve("com/example/uptime");
  private static final Path testSources = fixtures.resolve("test/com/example/uptime");

  private static Path home;
  private static Path pluginClasses;
  private static ExporterProcess exporter;

  @BeforeAll
  static void installPluginAndStart() throws IOException {
    home = Distribution.unpackToTemporaryDirectory();
    Path jar = home.resolve("lib/uptime-plugin.jar");
    pluginClasses = buildPlugin(jar);
    exporter =
        ExporterProcess.builder()
            .home(home)
            .args(
                "-task-uptime-enabled",
                "--task-uptime-proc-root",
                fixtures.resolve("proc").toString())
            .start();
  }

  @AfterAll
  static void stop() {
    if (exporter != null) {
      exporter.close();
    }
  }

  @Nested
  class Options {

    @Test
    void helpListsThePluginsOptionWithItsDefault() {
      ExporterProcess.Result help = ExporterProcess.builder().home(home).args("-h").run();

      assertThat(help.exitCode()).isZero();
      assertThat(help.stdout() + help.stderr())
          .contains("-task-uptime-enabled", "-task-uptime-interval", "-task-uptime-proc-root")
          .contains("/proc");
    }

    @Test
    void badValueOfThePluginsOptionStopsStartup() {
      ExporterProcess.Result run =
          ExporterProcess.builder().home(home).args("-task-uptime-interval=soon").run();

      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.stderr()).contains("task-uptime-interval");
    }
  }

  @Nested
  class Serving {

    @Test
    void servesThePluginsMetricReadFromTheFlagsProcRoot() {
      exporter.awaitReady(Duration.ofSeconds(90));

      assertThat(exporter.scrape())
          .contains("planet_uptime_seconds 12345.67\n")
          .contains("planet_scrape_collector_success{collector=\"uptime\"} 1");
    }

    @Test
    void takesThePluginsOptionsFromTheEnvironment() {
      try (ExporterProcess fromEnv =
          ExporterProcess.builder()
              .home(home)
              .env("PLANET_TASK_UPTIME_ENABLED", "true")
              .env("PLANET_TASK_UPTIME_PROC_ROOT", fixtures.resolve("proc").toString())
              .start()) {
        fromEnv.awaitReady(Duration.ofSeconds(90));

        assertThat(fromEnv.scrape()).contains("planet_uptime_seconds 12345.67\n");
      }
    }

    @Test
    void takesThePluginsOptionsFromTheConfigFile(@TempDir Path dir) throws IOException {
      Path conf =
          Files.writeString(
              dir.resolve("planet-exporter.properties"),
              "task-uptime-enabled=true\ntask-uptime-proc-root=" + fixtures.resolve("proc") + "\n");
      try (ExporterProcess fromFile =
          ExporterProcess.builder().home(home).args("-config.file=" + conf).start()) {
        fromFile.awaitReady(Duration.ofSeconds(90));

        assertThat(fromFile.scrape()).contains("planet_uptime_seconds 12345.67\n");
      }
    }
  }

  @Nested
  class TestWithTheKit {

    /**
     * The plugin guide's test (docs/writing-a-plugin.md), compiled against lib/ and the test kit,
     * run by JUnit's console launcher in a JVM of its own whose classpath is lib/, the kit and the
     * plugin's classes.
     */
    @Test
    void theGuidesTestOfThePluginPasses() throws Exception {
      Path classes = Files.createTempDirectory(home.getParent(), "plugin-test-classes-");
      String kit = codeSource(Class.forName("io.planetexporter.api.testing.TaskRun"));
      Path console = Path.of(System.getProperty("junit.console.jar"));
      compile(
          testSources,
          String.join(
              ":",
              pluginClasses.toString(),
              Distribution.libJar(home, "planet-api").toString(),
              Distribution.libJar(home, "prometheus-metrics-model").toString(),
              kit,
              console.toString()),
          classes);

      Process junit =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  console.toString(),
                  "execute",
                  "--disable-banner",
                  "--disable-ansi-colors",
                  "--details=tree",
                  "--class-path",
                  // Every jar of lib/: JUnit does not expand "lib/*" as java -cp does.
                  String.join(":", libJars(), kit, pluginClasses.toString(), classes.toString()),
                  "--select-class",
                  "com.example.uptime.UptimeTaskTest")
              .redirectErrorStream(true)
              .start();
      String output = new String(junit.getInputStream().readAllBytes(), UTF_8);

      assertThat(junit.waitFor()).as(output).isZero();
      assertThat(output)
          .contains("servesTheSecondsUpReadFromProcRoot()", "servesNothingUntilARunSucceeds()")
          .contains("2 tests successful", "0 tests failed");
    }
  }

  @Nested
  class PluginGuide {

    @Test
    void showsThePluginsSourceAndItsTestVerbatim() throws IOException {
      String guide = Files.readString(home.resolve("docs/writing-a-plugin.md"));

      try (Stream<Path> sources =
          Stream.concat(Files.list(pluginSources), Files.list(testSources))) {
        for (Path source : sources.toList()) {
          assertThat(guide).contains(Files.readString(source));
        }
      }
      assertThat(guide)
          .contains(
              Files.readString(
                      fixtures.resolve("META-INF/services/io.planetexporter.api.TaskProvider"))
                  .strip());
    }
  }

  /**
   * Compiles the plugin's sources against lib/ and packs them with their services file; returns the
   * classes' directory.
   */
  private static Path buildPlugin(Path jar) throws IOException {
    Path classes = Files.createTempDirectory(home.getParent(), "plugin-classes-");
    compile(
        pluginSources,
        Distribution.libJar(home, "planet-api")
            + ":"
            + Distribution.libJar(home, "prometheus-metrics-model"),
        classes);
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> entries = Files.walk(classes)) {
      for (Path entry : entries.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(entry).toString()));
        out.write(Files.readAllBytes(entry));
        out.closeEntry();
      }
      String services = "META-INF/services/io.planetexporter.api.TaskProvider";
      out.putNextEntry(new JarEntry(services));
      out.write(Files.readString(fixtures.resolve(services)).getBytes(UTF_8));
      out.closeEntry();
    }
    return classes;
  }

  /** Compiles the sources of one directory with every warning an error. */
  private static void compile(Path sourceDirectory, String classpath, Path classes)
      throws IOException {
    List<String> sources;
    try (Stream<Path> files = Files.list(sourceDirectory)) {
      sources = files.map(Path::toString).toList();
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    String[] arguments =
        Stream.concat(
                Stream.of(
                    "--release",
                    "17",
                    "-Xlint:all",
                    "-Werror",
                    "-proc:none",
                    "-classpath",
                    classpath,
                    "-d",
                    classes.toString()),
                sources.stream())
            .toArray(String[]::new);
    boolean compiled = javac.run(null, diagnostics, diagnostics, arguments) == 0;
    assertThat(compiled).as("javac: %s", diagnostics.toString(UTF_8)).isTrue();
  }

  private static String libJars() throws IOException {
    try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
      return String.join(
          ":", jars.filter(jar -> !jar.endsWith("uptime-plugin.jar")).map(Path::toString).toList());
    }
  }

  private static String codeSource(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  private static Path fixtures() {
    try {
      return Path.of(PluginIT.class.getResource("PluginIT").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
