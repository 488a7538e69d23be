package io.planetexporter.dist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.testfixtures.Distribution;
import io.planetexporter.testfixtures.ExporterProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The program from the tarball, started with its defaults, seen from outside. */
class ExporterIT {

  private static final String VERSION = System.getProperty("planet.dist.version");

  private static ExporterProcess exporter;

  @BeforeAll
  static void start() {
    exporter = ExporterProcess.start();
  }

  @AfterAll
  static void stop() {
    exporter.close();
  }

  @Nested
  class Metrics {

    @Test
    void servesMetricsThatPromtoolAccepts() {
      exporter.awaitReady(Duration.ofSeconds(90));
      String metrics = exporter.scrape();

      assertThat(metrics)
          .contains("planet_hostname{", "planet_exporter_build_info{")
          .contains("version=\"" + VERSION + "\"");
      assertThat(Promtool.checkMetrics(metrics)).isEmpty();
    }

    @Test
    void servesTextFormatByDefault() {
      HttpResponse<String> response = exporter.get("/metrics");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
      assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
      assertThat(response.body()).doesNotContain("# EOF");
    }

    @Test
    void servesOpenMetricsWhenAskedFor() {
      HttpResponse<String> response =
          exporter.get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/openmetrics-text"));
      assertThat(response.body()).contains("planet_hostname{").endsWith("# EOF\n");
    }

    @Test
    void gzipsWhenAskedFor() throws IOException {
      HttpResponse<byte[]> response = exporter.getBytes("/metrics", "Accept-Encoding", "gzip");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
      try (GZIPInputStream body = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
        assertThat(new String(body.readAllBytes(), UTF_8)).contains("planet_hostname{");
      }
    }
  }

  @Nested
  class Endpoints {

    @Test
    void landingPageShowsVersionEnabledTasksAndLinksToMetrics() {
      HttpResponse<String> response = exporter.get("/");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .contains(VERSION)
          .contains("href=\"/metrics\"")
          .contains("socketstat");
    }

    @Test
    void healthyWhileServing() {
      assertThat(exporter.get("/-/healthy").statusCode()).isEqualTo(200);
    }

    @Test
    void readyOnceEveryEnabledTaskRan() {
      exporter.awaitReady(Duration.ofSeconds(90));

      assertThat(exporter.get("/-/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownPathIsNotFound() {
      HttpResponse<String> response = exporter.get("/no-such-page");

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.body()).doesNotContain("Exception");
    }
  }

  @Nested
  class CommandLine {

    @Test
    void unknownFlagStopsStartupWithOneLineAndStatus2() {
      ExporterProcess.Result run = ExporterProcess.run("-no-such-flag");

      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.stderr().strip()).contains("no-such-flag").doesNotContain("\n");
    }

    @Test
    void badValueStopsStartupWithStatus2() {
      ExporterProcess.Result run = ExporterProcess.run("-task-interval=often");

      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.stderr().strip()).contains("task-interval").doesNotContain("\n");
    }

    @Test
    void enabledTaskWithoutItsRequiredAddressStopsStartupWithStatus2() {
      ExporterProcess.Result run = ExporterProcess.run("-task-darkstat-enabled");

      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.stderr().strip()).contains("task-darkstat-addr").doesNotContain("\n");
    }

    @Test
    void sigtermStopsCleanlyWithStatus0() {
      try (ExporterProcess own = ExporterProcess.start()) {
        assertThat(own.get("/-/healthy").statusCode()).isEqualTo(200);

        assertThat(own.stop()).isZero();
      }
    }

    @Test
    void versionPrintsTheVersion() {
      ExporterProcess.Result run = ExporterProcess.run("-version");

      assertThat(run.exitCode()).isZero();
      assertThat(run.stdout() + run.stderr()).contains(VERSION);
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
      String help = help();

      assertThat(options(help))
          .containsKeys(
              "listen-address", "task-interval", "config.file", "task-socketstat-enabled");
      assertThat(help).contains("0.0.0.0:19100", "7s");
    }

    @Test
    void configFileOfTheTarballHasEveryOptionOfHelpWithItsDefault() throws IOException {
      String conf =
          Files.readString(Distribution.shared().resolve("conf/planet-exporter.properties"));
      Set<String> commandLineOnly = Set.of("version", "config.file");

      options(help())
          .forEach(
              (option, defaultValue) -> {
                if (commandLineOnly.contains(option)) {
                  assertThat(conf).contains(option);
                } else {
                  assertThat(conf)
                      .as("conf/planet-exporter.properties")
                      .contains("\n#" + option + "=" + defaultValue + "\n");
                }
              });
    }

    private static String help() {
      ExporterProcess.Result run = ExporterProcess.run("-h");
      assertThat(run.exitCode()).isZero();
      return run.stdout() + run.stderr();
    }

    /**
     * The options of {@code -h} with their defaults: a line {@code -name [type]} followed by a
     * description ending in {@code (default value)}, the value in quotes for strings.
     */
    private static Map<String, String> options(String help) {
      Matcher option =
          Pattern.compile("(?m)^ +-([a-z][a-z0-9.-]*)(?: [a-z]+)?\\n.*\\(default (.*)\\)$")
              .matcher(help);
      Map<String, String> options = new LinkedHashMap<>();
      while (option.find()) {
        options.put(option.group(1), option.group(2).replaceAll("^\"(.*)\"$", "$1"));
      }
      assertThat(options)
          .as("every option line of -h followed by its default")
          .hasSize((int) Pattern.compile("(?m)^ +-[a-z]").matcher(help).results().count());
      return options;
    }
  }
}
