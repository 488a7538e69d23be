package io.planetexporter.map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code planet-map diff}'s flags and exit statuses; its lines and the exit status 1 against a real
 * Prometheus with history are proven by planet-dist's HistoryIT.
 */
class DiffCommandTest {

  private static final Instant NOW = Instant.parse("2023-11-15T00:00:00Z");

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private FakePrometheus prometheus;

  @BeforeEach
  void start() throws IOException {
    prometheus =
        new FakePrometheus()
            .answer(
                "hostgroup:planet_upstream:count",
                "local_node=web remote_node=api port=8080 protocol=tcp process_name=nginx -> 2");
  }

  @AfterEach
  void stop() {
    prometheus.close();
  }

  private int run(String... args) {
    return DiffCommand.run(
        List.of(args), new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8), NOW);
  }

  @Test
  void theSameMapAtBothTimesIsNoChangeAndExitsZero() {
    int status =
        run(
            "-prometheus-url",
            prometheus.uri().toString(),
            "-from",
            "2023-11-14T00:00:00Z",
            "-to=1699999200",
            "-range",
            "30m");

    assertThat(err.toString(UTF_8)).isEmpty();
    assertThat(status).isZero();
    assertThat(out.toString(UTF_8)).isEmpty();
    // Each map is asked at its own time, over the range before it.
    assertThat(prometheus.times())
        .contains("time=1699920000.000", "time=1699999200.000")
        .contains("names start=1699918200.000&end=1699920000.000");
    assertThat(prometheus.queries()).allMatch(q -> q.contains("[1800s]"));
  }

  @Test
  void writesTheDiffAsJsonOnAsking() throws Exception {
    int status =
        run(
            "-prometheus-url",
            prometheus.uri().toString(),
            "-from",
            "1699920000",
            "-format",
            "json");

    assertThat(status).isZero();
    var diff = new ObjectMapper().readTree(out.toString(UTF_8));
    assertThat(diff.path("from").asText()).isEqualTo("2023-11-14T00:00:00Z");
    assertThat(diff.path("to").asText()).isEqualTo("2023-11-15T00:00:00Z");
    assertThat(diff.path("added").size()).isZero();
  }

  @Test
  void badFlagsExitTwoNamingTheFlag() {
    assertThat(run("-to", "2023-11-14T00:00:00Z")).isEqualTo(2);
    assertThat(run("-from", "last week")).isEqualTo(2);
    assertThat(run("-from", "1699920000", "-format", "yaml")).isEqualTo(2);
    assertThat(run("-from", "1699920000", "-depth", "0")).isEqualTo(2);
    assertThat(run("-from", "1699920000", "-listen-address", ":1")).isEqualTo(2);

    assertThat(err.toString(UTF_8).lines())
        .hasSize(5)
        .allMatch(line -> line.startsWith("planet-map diff: "))
        .anyMatch(line -> line.contains("-from: required"))
        .anyMatch(line -> line.contains("-from: want RFC 3339"))
        .anyMatch(line -> line.contains("-format") && line.contains("want text or json"))
        .anyMatch(line -> line.contains("-depth: want a whole number"))
        .anyMatch(line -> line.contains("listen-address"));
    assertThat(out.toString(UTF_8)).isEmpty();
  }

  @Test
  void anUnreachablePrometheusExitsTwo() throws IOException {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }

    int status =
        run(
            "-prometheus-url",
            "http://127.0.0.1:" + port,
            "-from",
            "1699920000",
            "-query-timeout",
            "2s");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(UTF_8)).startsWith("planet-map diff: ").contains("127.0.0.1:" + port);
  }

  @Test
  void helpNamesTheDiffFlagsAndTheServersPrometheusFlags() {
    assertThat(run("-h")).isZero();

    assertThat(out.toString(UTF_8))
        .startsWith("Usage: planet-map diff -from T1")
        .contains("-prometheus-bearer-token-file", "-prometheus-tls-ca-file", "-format")
        .doesNotContain("-listen-address");
  }
}
