package io.planetexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.testfixtures.TestHttpClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Main as a real process on this module's test classpath, where it finds {@link RefusingProvider}.
 */
@Timeout(60)
class MainProcessTest {

  private static final Pattern LISTENING =
      Pattern.compile("msg=\"listening\".* address=127\\.0\\.0\\.1:(\\d+)");

  private static Process start(String... args) throws IOException {
    return start(Map.of(), args);
  }

  private static Process start(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("PLANET_"));
    builder.environment().putAll(env);
    return builder.start();
  }

  private static int listeningPort(BufferedReader stderr) throws IOException {
    for (String line = stderr.readLine(); line != null; line = stderr.readLine()) {
      Matcher matcher = LISTENING.matcher(line);
      if (matcher.find()) {
        return Integer.parseInt(matcher.group(1));
      }
    }
    throw new AssertionError("the exporter ended without logging its listening address");
  }

  private static String scrape(int port) throws IOException, InterruptedException {
    return TestHttpClient.create().get(TestHttpClient.local(port, "/metrics")).body();
  }

  private static String read(java.io.InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void printsOneLineAndExits2OnABadFlag() throws Exception {
    Process process = start("-task-interval=soon");

    String stderr = read(process.getErrorStream());

    assertThat(process.waitFor()).isEqualTo(2);
    assertThat(stderr)
        .isEqualTo(
            "planet-exporter: -task-interval: invalid duration \"soon\""
                + " (want e.g. 7s, 1m30s, 500ms)\n");
  }

  @Test
  void printsOneLineAndExits2WhenATaskRefusesItsConfiguration() throws Exception {
    Process process = start("-listen-address=127.0.0.1:0", "-task-refusing-enabled");

    String stderr = read(process.getErrorStream());

    assertThat(process.waitFor()).isEqualTo(2);
    assertThat(stderr).isEqualTo("planet-exporter: -task-refusing-mode: unknown mode \"bad\"\n");
  }

  @Test
  void namesTheEnvironmentVariableAValueRefusedByItsTaskCameFrom() throws Exception {
    Process process =
        start(
            Map.of("PLANET_TASK_REFUSING_MODE", "worse"),
            "-listen-address=127.0.0.1:0",
            "-task-refusing-enabled");

    String stderr = read(process.getErrorStream());

    assertThat(process.waitFor()).isEqualTo(2);
    assertThat(stderr)
        .isEqualTo("planet-exporter: PLANET_TASK_REFUSING_MODE: unknown mode \"worse\"\n");
  }

  @Test
  void logsTheAddressAndExits1WhenThePortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Process process =
          start("-listen-address=127.0.0.1:" + taken.getLocalPort(), "-log-disable-colors");

      String stderr = read(process.getErrorStream());

      assertThat(process.waitFor()).isEqualTo(1);
      assertThat(stderr)
          .contains("level=error msg=\"cannot serve HTTP\"")
          .contains("err=\"cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ");
    }
  }

  @Test
  void printsOneLineAndExits2WhenClientJavaRefusesTheEnvironment() throws Exception {
    Process process =
        start(
            Map.of("IO_PROMETHEUS_METRICS_EXEMPLARS_ENABLED", "perhaps"),
            "-listen-address=127.0.0.1:0");

    String stderr = read(process.getErrorStream());

    assertThat(process.waitFor()).isEqualTo(2);
    assertThat(stderr)
        .startsWith("planet-exporter: client_java cannot start with the PROMETHEUS_CONFIG")
        .contains("exemplars_enabled")
        .hasLineCount(1);
  }

  @Test
  void ignoresClientJavasPortVariable() throws Exception {
    Process process =
        start(
            Map.of("IO_PROMETHEUS_EXPORTER_HTTP_SERVER_PORT", "1"),
            "-listen-address=127.0.0.1:0",
            "-log-disable-colors");
    try {
      BufferedReader stderr =
          new BufferedReader(
              new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
      assertThat(scrape(listeningPort(stderr))).contains("planet_exporter_build_info{");
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void printsHelpAndExits0() throws Exception {
    Process process = start("--help");

    String stdout = read(process.getInputStream());

    assertThat(process.waitFor()).isZero();
    assertThat(stdout)
        .startsWith("Usage: planet-exporter [flags]")
        .contains("-listen-address")
        .contains("Task refusing: Refuses its configuration unless -task-refusing-mode=ok.")
        .contains("-task-refusing-mode string");
  }

  @Test
  void printsTheVersionAndExits0() throws Exception {
    Process process = start("-version");

    String stdout = read(process.getInputStream());

    assertThat(process.waitFor()).isZero();
    assertThat(stdout).startsWith("planet-exporter, version ").contains("java version: ");
  }

  @Test
  void servesUntilSigtermThenExits0() throws Exception {
    Process process =
        start(
            "-listen-address",
            "127.0.0.1:0",
            "-log-disable-colors",
            "-task-refusing-enabled",
            "-task-refusing-mode=ok");
    try {
      BufferedReader stderr =
          new BufferedReader(
              new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
      assertThat(scrape(listeningPort(stderr)))
          .contains("planet_exporter_build_info{")
          .contains("planet_task_runs_total{collector=\"refusing\"}");

      process.toHandle().destroy(); // SIGTERM, keeping our end of the pipes open
      StringBuilder rest = new StringBuilder();
      for (String line = stderr.readLine(); line != null; line = stderr.readLine()) {
        rest.append(line).append('\n');
      }
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isZero();
      assertThat(rest).contains("msg=\"stopped\"");
    } finally {
      process.destroyForcibly();
    }
  }
}
