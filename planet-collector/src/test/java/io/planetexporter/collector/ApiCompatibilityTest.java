package io.planetexporter.collector;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.HostIdentity;
import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskProvider;
import io.planetexporter.api.testing.TaskRun;
import io.planetexporter.net.IpAddress;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin compiled against planet-api 0.1 (the API's sources as they were before it grew, kept
 * verbatim as a fixture, see the fixture README) loads and runs in today's collector: the API has
 * grown only in ways that keep old binaries working.
 */
@Timeout(60)
class ApiCompatibilityTest {

  private static final Path FIXTURES = fixtures();
  private static final HostIdentity HOST =
      new HostIdentity("old-host", IpAddress.parse("127.0.0.1"), Set.of(IpAddress.parse("::1")));

  @TempDir static Path dir;
  private static Path oldApi;
  private static URLClassLoader plugins;

  @BeforeAll
  static void buildThePluginAgainstTheOldApi() throws IOException {
    oldApi = compile("planet-api-0.1", prometheusModel());
    Path classes = compile("plugin", oldApi + ":" + prometheusModel());
    Path jar = dir.resolve("legacy-plugin.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> entries = Files.walk(classes)) {
      for (Path entry : entries.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(entry).toString()));
        out.write(Files.readAllBytes(entry));
        out.closeEntry();
      }
      out.putNextEntry(new JarEntry("META-INF/services/io.planetexporter.api.TaskProvider"));
      out.write(Files.readAllBytes(FIXTURES.resolve("plugin/services.txt")));
      out.closeEntry();
    }
    plugins =
        new URLClassLoader(
            new URL[] {jar.toUri().toURL()}, ApiCompatibilityTest.class.getClassLoader());
  }

  @AfterAll
  static void closeLoader() throws IOException {
    if (plugins != null) {
      plugins.close();
    }
  }

  @Test
  void theFixtureIsTheOldApiNotTodays() throws IOException {
    Path probe = Files.createDirectories(dir.resolve("probe-src/probe")).resolve("Probe.java");
    Files.writeString(
        probe,
        "package probe; class Probe { Object names(io.planetexporter.api.Task t) {"
            + " return t.metricNames(); } }");

    assertThat(javac(oldApi + ":" + prometheusModel(), dir.resolve("probe-out"), probe))
        .contains("cannot find symbol");
  }

  @Test
  void loadsReadsOptionsCreatesRunsAndServesTheOldPlugin() throws Exception {
    TaskProvider legacy =
        TaskProviders.discover(ProviderLoader.serviceLoader(plugins)).get("legacy");
    assertThat(legacy.getClass().getClassLoader()).isSameAs(plugins);
    TaskConfig config =
        TaskConfig.parse(
            legacy.options(), Map.of("greeting", "hi", "repeat", "3"), Duration.ofHours(1));
    assertThat(legacy.defaultInterval(Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(21));
    assertThat(legacy.options().get(0).allowedValues()).isEmpty();

    try (Crew crew = Crew.create(List.of(new TaskSpec(legacy, config)), HOST, Clock.systemUTC())) {
      crew.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!crew.ready() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }

      assertThat(TaskRun.render(crew.collector(MetricSnapshots.of()).collect()))
          .contains(
              "legacy_greetings{greeting=\"hi\",host=\"old-host\",inventory_size=\"0\",local_addresses=\"[/0:0:0:0:0:0:0:1]\",primary_ip=\"127.0.0.1\",primary_is_local=\"true\"} 3.0\n")
          .contains("planet_scrape_collector_success{collector=\"legacy\"} 1.0\n");
    }
  }

  @Test
  void passesTheOldPluginsOwnConfigurationErrorAsItIs() throws Exception {
    TaskProvider legacy =
        TaskProviders.discover(ProviderLoader.serviceLoader(plugins)).get("legacy");
    TaskConfig config =
        TaskConfig.parse(legacy.options(), Map.of("repeat", "0"), Duration.ofHours(1));

    assertThatThrownBy(
            () -> Crew.create(List.of(new TaskSpec(legacy, config)), HOST, Clock.systemUTC()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("-task-legacy-repeat: must be at least 1");
  }

  /** Compiles every source under the fixture directory; returns the classes' directory. */
  private static Path compile(String fixture, String classpath) throws IOException {
    Path out = dir.resolve(fixture + "-classes");
    Path[] sources;
    try (Stream<Path> files = Files.walk(FIXTURES.resolve(fixture))) {
      sources = files.filter(f -> f.toString().endsWith(".java")).toArray(Path[]::new);
    }
    String diagnostics = javac(classpath, out, sources);
    assertThat(diagnostics).as("javac of %s", fixture).isEmpty();
    return out;
  }

  /** Runs javac; returns its diagnostics, empty when it compiled without a warning. */
  private static String javac(String classpath, Path out, Path... sources) throws IOException {
    Files.createDirectories(out);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    String[] arguments =
        Stream.concat(
                Stream.of(
                    "--release",
                    "17",
                    "-Xlint:all",
                    "-proc:none",
                    "-classpath",
                    classpath,
                    "-d",
                    out.toString()),
                Stream.of(sources).map(Path::toString))
            .toArray(String[]::new);
    int status = javac.run(null, diagnostics, diagnostics, arguments);
    String text = diagnostics.toString(UTF_8);
    return status == 0 ? text : "exit " + status + ": " + text;
  }

  private static String prometheusModel() {
    try {
      return Path.of(
              MetricSnapshots.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path fixtures() {
    try {
      return Path.of(ApiCompatibilityTest.class.getResource("ApiCompatibilityTest").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
