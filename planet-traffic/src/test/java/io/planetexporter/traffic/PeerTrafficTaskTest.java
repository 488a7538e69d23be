package io.planetexporter.traffic;

import static io.planetexporter.api.testing.TestSnapshots.counterValues;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskContext;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.testing.TestSnapshots;
import io.planetexporter.api.testing.TestTaskContext;
import io.planetexporter.fetch.BoundedFetcher;
import io.planetexporter.fetch.FetchException;
import io.planetexporter.fetch.FetchOptions;
import io.planetexporter.fetch.MemoryBudget;
import io.planetexporter.testfixtures.TestHttpServer;
import io.planetexporter.textformat.TextFormatException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the tasks built on PeerTrafficTask (darkstat, ebpf) fail, once for all: a run fails naming
 * what broke, and no series are served until a run succeeds again. The task is built as their
 * providers build it, over PeerTrafficTest's page format, against a real HTTP server on loopback.
 */
class PeerTrafficTaskTest {

  private static final String PAGE =
      """
      b{peer="198.18.0.2",dir="in"} 5
      b{peer="198.18.0.2",dir="out"} 7
      b{peer="fd42::9",dir="out"} 3
      """;

  private TestHttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = TestHttpServer.start();
    server.respond(200, PAGE);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** A task fetching {@code addr} with these fetch options, created as the providers do. */
  private static Task task(URI addr, String fetchTimeout, String maxBodySize)
      throws ConfigurationException {
    return task(addr, fetchTimeout, maxBodySize, TaskConfig.DEFAULT_MAX_SERIES);
  }

  private static Task task(URI addr, String fetchTimeout, String maxBodySize, int maxSeries)
      throws ConfigurationException {
    return task(addr, fetchTimeout, maxBodySize, maxSeries, new MemoryBudget(64L << 20));
  }

  private static Task task(
      URI addr, String fetchTimeout, String maxBodySize, int maxSeries, MemoryBudget budget)
      throws ConfigurationException {
    List<TaskOption> options = new ArrayList<>(FetchOptions.options("5s"));
    options.add(TaskOption.required(FetchOptions.ADDR, "URL of the page"));
    TaskConfig config =
        TaskConfig.parse(
            options,
            Map.of(
                FetchOptions.ADDR, addr.toString(),
                FetchOptions.FETCH_TIMEOUT, fetchTimeout,
                FetchOptions.MAX_BODY_SIZE, maxBodySize),
            TestTaskContext.TASK_INTERVAL,
            maxSeries);
    TaskContext context = TestTaskContext.of("peers", config).host(PeerTrafficTest.HOST);
    return new PeerTrafficTask(
        FetchOptions.address(context),
        FetchOptions.fetcher(config),
        context,
        budget.account("task peers"),
        "t_bytes",
        "Test.",
        PeerTrafficTest::read);
  }

  /** A task that has run once against the good page, so that it serves its three series. */
  private Task ranOnce(String fetchTimeout, String maxBodySize) throws Exception {
    Task task = task(server.uri("/metrics"), fetchTimeout, maxBodySize);
    task.run();
    assertThat(counterValues(task.snapshot(), "remote_ip", "direction")).hasSize(3);
    return task;
  }

  /** Runs the task, checks that it serves nothing afterwards, and returns the run's failure. */
  private static AbstractThrowableAssert<?, ? extends Throwable> assertRunFails(Task task) {
    Throwable failure = catchThrowable(task::run);
    assertThat(task.snapshot()).isEmpty();
    return assertThat(failure).as("the run's failure").isNotNull();
  }

  @Test
  void servesNothingBeforeTheFirstRun() throws Exception {
    assertThat(task(server.uri("/metrics"), "5s", "64MiB").snapshot()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 503})
  void failsOnHttpErrorAndServesNoSeriesUntilARunSucceeds(int status) throws Exception {
    Task task = ranOnce("5s", "64MiB");
    server.respond(status, "internal error");
    assertRunFails(task)
        .isInstanceOf(FetchException.class)
        .hasMessage("GET " + server.uri("/metrics") + ": HTTP " + status);

    server.respond(200, PAGE);
    task.run();
    assertThat(counterValues(task.snapshot(), "remote_ip", "direction")).hasSize(3);
  }

  static Stream<Arguments> unreadablePages() {
    return Stream.of(
        arguments(
            "html",
            "<html><body>\nnot metrics\n</body></html>\n".getBytes(UTF_8),
            "line 1: expected a metric name at column 1, found '<'"),
        arguments(
            "gzip header",
            new byte[] {0x1f, (byte) 0x8b, 0x08, 0x00, '\n'},
            "line 1: expected a metric name at column 1, found byte 0x1f"),
        arguments(
            "a sample the reader rejects",
            "b{peer=\"localhost\",dir=\"in\"} 5\n".getBytes(UTF_8),
            "line 1: label peer of b is not an IP address"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unreadablePages")
  void failsOnAnUnreadablePageNamingThePageAndLine(String what, byte[] body, String error)
      throws Exception {
    Task task = ranOnce("5s", "64MiB");
    server.respond(200, body);
    assertRunFails(task)
        .isInstanceOf(TextFormatException.class)
        .hasMessage(server.uri("/metrics") + ": " + error);
  }

  @ParameterizedTest
  @CsvSource({"1KiB, 1024", "4KiB, 4096"})
  void failsOnABodyOverMaxBodySize(String maxBodySize, int bytes) throws Exception {
    Task task = ranOnce("5s", maxBodySize);
    server.respond(200, PAGE.repeat(100));
    assertRunFails(task)
        .isInstanceOf(FetchException.class)
        .hasMessage("GET " + server.uri("/metrics") + ": body larger than " + bytes + " bytes");
  }

  @Test
  void failsOnABodyTricklingPastTheDeadline() throws Exception {
    // The first, good run gets the same deadline: 3s leaves room for a loaded machine.
    Task task = ranOnce("3s", "64MiB");
    // About 5s of body at this pace, so the 3s deadline cuts it.
    server.respondTrickling(PAGE.repeat(3), Duration.ofMillis(20));
    assertRunFails(task)
        .isInstanceOf(FetchException.class)
        .hasMessageStartingWith("GET " + server.uri("/metrics") + ": deadline of 3s exceeded");
  }

  @Test
  void servesTheFoldedPeersWithinItsBudgetRunAfterRun() throws Exception {
    // Budget 3: the folded-peer gauge and two counter series.
    Task task = task(server.uri("/metrics"), "5s", "64MiB", 3);
    for (int run = 0; run < 3; run++) {
      task.run();

      assertThat(counterValues(task.snapshot(), "remote_ip", "direction"))
          .containsExactly(entry("other egress", 10.0), entry("other ingress", 5.0));
      assertThat(TestSnapshots.gauge(task.snapshot(), "planet_peers_folded_peers")).isEqualTo(2);
    }
  }

  @Test
  void refusesAPageOfMorePeersThanTheMemoryBudgetHoldsAndHoldsNothingAfter() throws Exception {
    // Room for the reading and five new peers, not six.
    long room = BoundedFetcher.READING_BYTES + 5 * (PeerTrafficTask.PEER_BYTES + 80);
    MemoryBudget budget = new MemoryBudget(room);
    Task task = task(server.uri("/metrics"), "5s", "64MiB", 3, budget);
    StringBuilder page = new StringBuilder();
    for (int i = 1; i <= 6; i++) {
      page.append("b{peer=\"198.18.1.").append(i).append("\",dir=\"in\"} 1\n");
    }
    server.respond(200, page.toString());

    assertRunFails(task)
        .isInstanceOf(FetchException.class)
        .hasMessageStartingWith(
            server.uri("/metrics")
                + ": task peers: over the memory budget of fetched documents: needs 0.0 MiB"
                + " more, holds 4.0 MiB, and all tasks together may hold 4.0 MiB");
    assertThat(budget.held()).isZero();

    // Five peers fit; within 3 series one keeps its own and four are folded into other, which
    // stay charged while the task remembers them, and cost a run nothing more to fold again.
    server.respond(200, page.substring(0, page.lastIndexOf("b{")));
    for (int run = 0; run < 2; run++) {
      task.run();
      assertThat(counterValues(task.snapshot(), "remote_ip", "direction"))
          .hasSize(2)
          .containsEntry("other ingress", 4.0);
      assertThat(budget.held()).isEqualTo(4 * 80);
    }
  }

  @Test
  void servesNoFoldedPeerWithinItsBudget() throws Exception {
    Task task = ranOnce("5s", "64MiB");

    assertThat(TestSnapshots.gauge(task.snapshot(), "planet_peers_folded_peers")).isZero();
  }

  @Test
  void failsWhenTheConnectionIsRefused() throws Exception {
    URI closed = TestHttpServer.closedPortUri("/metrics");
    assertRunFails(task(closed, "5s", "64MiB"))
        .isInstanceOf(FetchException.class)
        .hasMessage("GET " + closed + ": connection refused");
  }
}
