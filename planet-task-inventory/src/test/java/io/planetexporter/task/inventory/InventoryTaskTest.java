package io.planetexporter.task.inventory;

import static io.planetexporter.task.inventory.InventoryParserTest.describe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.Inventory;
import io.planetexporter.api.InventorySource;
import io.planetexporter.api.Task;
import io.planetexporter.api.testing.TaskRun;
import io.planetexporter.api.testing.TestTaskContext;
import io.planetexporter.fetch.BoundedFetcher;
import io.planetexporter.fetch.FetchException;
import io.planetexporter.fetch.MemoryBudget;
import io.planetexporter.testfixtures.TestHttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the task through its provider against real HTTP servers on loopback and real files. */
class InventoryTaskTest {

  private static final String GOOD =
      """
      [
        {"ip_address": "10.0.0.1", "domain": "db1.example", "hostgroup": "db"},
        {"ip_address": "10.1.0.0/16", "domain": "", "hostgroup": "k8s"},
        {"ip_address": "10.0.0.9", "domain": "", "hostgroup": ""},
        {"ip_address": "bogus", "domain": "x", "hostgroup": "y"}
      ]
      """;

  private static final String NEWER =
      """
      [{"ip_address": "10.0.0.1", "domain": "db1-new.example", "hostgroup": "db-new"}]
      """;

  private static final String PROBES_BEFORE =
      """
      10.0.0.1 -> db1.example db
      10.1.2.3 ->  k8s
      127.0.0.1 -> localhost localhost
      """;

  private static final Instant LOADED_AT = Instant.parse("2026-01-02T03:04:05Z");

  private final InventoryTaskProvider provider = new InventoryTaskProvider();

  @Nested
  class OverHttp {

    private TestHttpServer server;
    private Task task;

    @BeforeEach
    void loadAGoodInventory() throws Exception {
      server = TestHttpServer.start();
      task = create(server.uri("/inventory.json").toString(), Map.of());
      server.respond(200, GOOD);
      task.run();
      assertThat(probe(task)).isEqualTo(PROBES_BEFORE);
    }

    @AfterEach
    void stop() {
      task.close();
      server.close();
    }

    @Test
    void servesTheLoadedInventoryAndItsMetrics() throws IOException {
      assertThat(((InventorySource) task).inventory().size()).isEqualTo(2);
      assertThat(metricsText(task))
          .isEqualTo(
              """
              # HELP planet_inventory_document_bytes Size of the inventory in force's document, after gzip decoding.
              # TYPE planet_inventory_document_bytes gauge
              planet_inventory_document_bytes %s
              # HELP planet_inventory_entries Addresses and prefixes in the inventory in force.
              # TYPE planet_inventory_entries gauge
              planet_inventory_entries 2.0
              # HELP planet_inventory_fetch_duration_seconds How long fetching the inventory in force took.
              # TYPE planet_inventory_fetch_duration_seconds gauge
              planet_inventory_fetch_duration_seconds <duration>
              # HELP planet_inventory_last_success_timestamp_seconds When the inventory in force was loaded, in seconds since the epoch.
              # TYPE planet_inventory_last_success_timestamp_seconds gauge
              planet_inventory_last_success_timestamp_seconds 1.767323045E9
              # HELP planet_inventory_load_duration_seconds How long loading the inventory in force took, fetch and parse.
              # TYPE planet_inventory_load_duration_seconds gauge
              planet_inventory_load_duration_seconds <duration>
              # HELP planet_inventory_skipped_entries Entries of the inventory in force's document that were skipped: malformed, or unnamed (no domain and no hostgroup).
              # TYPE planet_inventory_skipped_entries gauge
              planet_inventory_skipped_entries{reason="malformed"} 1.0
              planet_inventory_skipped_entries{reason="unnamed"} 1.0
              """
                  .formatted((double) GOOD.getBytes(StandardCharsets.UTF_8).length));
    }

    @Test
    void warnsAboutTheSameMalformedEntriesOnce() throws Exception {
      List<String> warnings = new ArrayList<>();
      Handler handler =
          new Handler() {
            @Override
            public void publish(LogRecord record) {
              if (record.getLevel() == Level.WARNING) {
                warnings.add(record.getMessage());
              }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
          };
      Logger logger = Logger.getLogger(InventoryTask.class.getName());
      logger.addHandler(handler);
      try {
        task.run();
        server.respond(200, GOOD.replace("bogus", "also-bogus"));
        task.run();
        task.run();
      } finally {
        logger.removeHandler(handler);
      }

      assertThat(warnings)
          .containsExactly(
              server.uri("/inventory.json")
                  + ": skipped 1 malformed entries, the first at element 4 (line 5):"
                  + " ip_address: not an IP address: \"also-bogus\"");
    }

    @Test
    void keepsTheInventoryWhenTheServerAnswers500() throws IOException {
      String before = metricsText(task);
      server.respond(500, "internal error");

      assertThatThrownBy(task::run)
          .isInstanceOf(FetchException.class)
          .hasMessageEndingWith(": HTTP 500");
      assertThat(probe(task)).isEqualTo(PROBES_BEFORE);
      assertThat(metricsText(task)).isEqualTo(before);
    }

    @Test
    void keepsTheInventoryWhenTheBodyIsGarbage() throws IOException {
      String before = metricsText(task);
      server.respond(200, "<html>502 Bad Gateway</html>");

      assertThatThrownBy(task::run)
          .isInstanceOf(InventoryException.class)
          .hasMessageStartingWith(
              server.uri("/inventory.json") + ": not arrayjson: not valid JSON");
      assertThat(probe(task)).isEqualTo(PROBES_BEFORE);
      assertThat(metricsText(task)).isEqualTo(before);
    }

    @Test
    void keepsTheInventoryWhenTheBodyIsTooLarge() {
      server.respond(200, "[" + " ".repeat(5000) + "]");

      assertThatThrownBy(task::run).hasMessageEndingWith(": body larger than 4096 bytes");
      assertThat(probe(task)).isEqualTo(PROBES_BEFORE);
    }

    @Test
    void refusesAnInventoryWithMoreEntriesThanTheLimitKeepingTheLastGood() throws Exception {
      // GOOD has two entries, one unnamed and one malformed: within a limit of 2.
      Task limited = create(server.uri("/inventory.json").toString(), Map.of("max-entries", "2"));
      limited.run();
      String before = metricsText(limited);
      server.respond(
          200,
          """
          [{"ip_address": "10.0.0.1", "domain": "a"},
           {"ip_address": "10.0.0.2", "domain": "b"},
           {"ip_address": "10.0.0.3", "domain": "c"},
           {"ip_address": "10.0.0.4", "domain": "d"}]
          """);

      assertThatThrownBy(limited::run)
          .isInstanceOf(InventoryException.class)
          .hasMessage(
              server.uri("/inventory.json")
                  + ": more than 2 entries (-task-inventory-max-entries), refused at element 3"
                  + " (line 3); keeping the 2 entries loaded at "
                  + LOADED_AT);
      assertThat(probe(limited)).isEqualTo(PROBES_BEFORE);
      assertThat(metricsText(limited)).isEqualTo(before);
    }

    @Test
    void keepsTheInventoryWhenTheBodyTricklesAByteASecond() {
      server.respondTrickling(NEWER, Duration.ofSeconds(1));

      assertThatThrownBy(task::run).hasMessageContaining(": deadline of 3s exceeded after ");
      assertThat(probe(task)).isEqualTo(PROBES_BEFORE);
    }

    @Test
    void keepsTheInventoryWhenTheServerIsGone() {
      server.close();

      assertThatThrownBy(task::run).hasMessageEndingWith(": connection refused");
      assertThat(probe(task)).isEqualTo(PROBES_BEFORE);
    }

    @Test
    void refusesAnEmptyInventoryOverANonEmptyOne() {
      server.respond(200, "[]");

      assertThatThrownBy(task::run)
          .isInstanceOf(InventoryException.class)
          .hasMessage(
              server.uri("/inventory.json")
                  + ": no usable entry (0 malformed, 0 without domain and hostgroup);"
                  + " keeping the 2 entries loaded at 2026-01-02T03:04:05Z");
      assertThat(probe(task)).isEqualTo(PROBES_BEFORE);
    }

    @Test
    void servesTheNewNamesAfterEveryKindOfFailure() throws Exception {
      server.respond(500, "");
      assertThatThrownBy(task::run).isInstanceOf(FetchException.class);
      server.respond(200, "garbage");
      assertThatThrownBy(task::run).isInstanceOf(InventoryException.class);
      server.respondTrickling(NEWER, Duration.ofMillis(100));
      assertThatThrownBy(task::run).isInstanceOf(FetchException.class);
      assertThat(probe(task)).isEqualTo(PROBES_BEFORE);

      server.respondGzip(NEWER);
      task.run();

      assertThat(probe(task))
          .isEqualTo(
              """
              10.0.0.1 -> db1-new.example db-new
              10.1.2.3 -> unknown
              127.0.0.1 -> localhost localhost
              """);
      assertThat(metricsText(task)).contains("planet_inventory_entries 1.0\n");
    }
  }

  @Nested
  class FromFiles {

    @TempDir Path dir;

    @Test
    void loadsAPlainPathInNdjson() throws Exception {
      Path file =
          Files.writeString(
              dir.resolve("inventory.ndjson"),
              """
              {"ip_address": "10.0.0.1", "domain": "db1.example", "hostgroup": "db"}
              {"ip_address": "10.1.0.0/16", "hostgroup": "k8s"}
              """);
      Task task = create(file.toString(), Map.of("format", "ndjson"));

      task.run();

      assertThat(probe(task)).isEqualTo(PROBES_BEFORE);
    }

    @Test
    void acceptsAnEmptyInventoryWhenNoneIsLoaded() throws Exception {
      Path file = Files.writeString(dir.resolve("inventory.json"), "[]");
      Task task = create(file.toUri().toString(), Map.of());

      task.run();

      assertThat(((InventorySource) task).inventory().size()).isZero();
      assertThat(metricsText(task)).contains("planet_inventory_entries 0.0\n");
    }

    @Test
    void servesNothingAndTheEmptyInventoryBeforeTheFirstLoad() throws Exception {
      Task task = create(dir.resolve("missing.json").toString(), Map.of());

      assertThatThrownBy(task::run).hasMessageEndingWith(": no such file");
      assertThat(((InventorySource) task).inventory()).isSameAs(Inventory.empty());
      assertThat(task.snapshot()).isEmpty();
    }
  }

  @Nested
  class WithinTheMemoryBudget {

    @TempDir Path dir;

    /** One entry of the tests' documents: db1.example and db cost 13 bytes of characters. */
    private static final long ENTRY = InventoryParser.ENTRY_BYTES + 13;

    private String document(int entries) {
      StringBuilder document = new StringBuilder("[");
      for (int i = 1; i <= entries; i++) {
        document.append(i > 1 ? "," : "");
        document.append("{\"ip_address\": \"10.0.0." + i + "\", \"domain\": \"db1.example\",");
        document.append(" \"hostgroup\": \"db\"}");
      }
      return document.append("]").toString();
    }

    @Test
    void holdsTheInventoryInForceAndRefusesOneThatDoesNotFitBesideIt() throws Exception {
      // The reading, then room for five entries in force and five more being read.
      MemoryBudget budget = new MemoryBudget(BoundedFetcher.READING_BYTES + 10 * ENTRY);
      Path file = dir.resolve("inventory.json");
      InventoryTask task =
          new InventoryTask(
              file.toUri(),
              InventoryFormat.ARRAYJSON,
              new BoundedFetcher(Duration.ofSeconds(3), 4096),
              100,
              Clock.fixed(LOADED_AT, ZoneOffset.UTC),
              budget.account("task inventory"));
      Files.writeString(file, document(5));
      task.run();
      assertThat(budget.held()).isEqualTo(5 * ENTRY);

      // Six new entries beside the five in force do not fit: refused, the five kept and held.
      Files.writeString(file, document(6));
      assertThatThrownBy(task::run)
          .isInstanceOf(FetchException.class)
          .hasMessageStartingWith(
              file.toUri() + ": task inventory: over the memory budget of fetched documents");
      assertThat(task.inventory().size()).isEqualTo(5);
      assertThat(budget.held()).isEqualTo(5 * ENTRY);

      // Four fit, and once in force only they are held.
      Files.writeString(file, document(4));
      task.run();
      assertThat(task.inventory().size()).isEqualTo(4);
      assertThat(budget.held()).isEqualTo(4 * ENTRY);
    }
  }

  private Task create(String addr, Map<String, String> more) throws Exception {
    Map<String, String> texts = new HashMap<>(more);
    texts.put("addr", addr);
    texts.put("fetch-timeout", "3s");
    texts.put("max-body-size", "4KiB");
    return TestTaskContext.of(provider, texts)
        .clock(Clock.fixed(LOADED_AT, ZoneOffset.UTC))
        .create();
  }

  private static String probe(Task task) {
    return describe(((InventorySource) task).inventory(), "10.0.0.1", "10.1.2.3", "127.0.0.1");
  }

  private static String metricsText(Task task) throws IOException {
    return TaskRun.render(task).replaceAll("(_duration_seconds) [0-9.eE-]+\n", "$1 <duration>\n");
  }
}
