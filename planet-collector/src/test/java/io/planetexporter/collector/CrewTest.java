package io.planetexporter.collector;

import static io.planetexporter.collector.TestSpecs.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.Host;
import io.planetexporter.api.HostIdentity;
import io.planetexporter.api.Inventory;
import io.planetexporter.api.InventorySource;
import io.planetexporter.api.Task;
import io.planetexporter.api.testing.TaskRun;
import io.planetexporter.api.testing.TestTaskProvider;
import io.planetexporter.net.IpAddress;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CrewTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
  private static final HostIdentity HOST =
      new HostIdentity("testhost", address("192.0.2.10"), Set.of(address("192.0.2.10")));

  private final List<Crew> crews = new ArrayList<>();

  @AfterEach
  void closeCrews() {
    crews.forEach(Crew::close);
  }

  private Crew start(TaskSpec... specs) throws ConfigurationException {
    return start(Clock.systemUTC(), specs);
  }

  private Crew start(Clock clock, TaskSpec... specs) throws ConfigurationException {
    Crew crew = Crew.create(List.of(specs), HOST, clock);
    crews.add(crew);
    crew.start();
    return crew;
  }

  /** Starts the crew and waits until each of its tasks has completed its first run. */
  private Crew startAndAwaitFirstRuns(TaskSpec... specs) throws Exception {
    return startAndAwaitFirstRuns(Clock.systemUTC(), specs);
  }

  private Crew startAndAwaitFirstRuns(Clock clock, TaskSpec... specs) throws Exception {
    Crew crew = start(clock, specs);
    for (TaskSpec spec : specs) {
      awaitFirstRun(crew, spec.name());
    }
    return crew;
  }

  /** A task whose runs succeed and whose snapshot is {@code metric}'s, built at each scrape. */
  private static Task serving(Supplier<MetricSnapshot> metric) {
    return new Task() {
      @Override
      public void run() {}

      @Override
      public MetricSnapshots snapshot() {
        return MetricSnapshots.of(metric.get());
      }
    };
  }

  private static String scrape(Crew crew) {
    return TaskRun.render(crew.collector(MetricSnapshots.of()).collect());
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 2000; i++) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(5);
    }
    fail("condition not met within 10s");
  }

  private static void awaitFirstRun(Crew crew, String task) throws InterruptedException {
    await(() -> status(crew, task).completedFirstRun());
  }

  private static TaskStatus status(Crew crew, String task) {
    return crew.statuses().stream().filter(s -> s.name().equals(task)).findFirst().orElseThrow();
  }

  /** A task that serves one gauge {@code <name>_up 1} once its run succeeded. */
  static final class GoodTask implements Task {
    private final String metric;
    private final AtomicBoolean ran = new AtomicBoolean();
    final AtomicInteger closes = new AtomicInteger();

    GoodTask(String metric) {
      this.metric = metric;
    }

    @Override
    public void run() {
      ran.set(true);
    }

    @Override
    public MetricSnapshots snapshot() {
      if (!ran.get()) {
        return MetricSnapshots.of();
      }
      return MetricSnapshots.of(
          GaugeSnapshot.builder()
              .name(metric)
              .help("Test gauge.")
              .dataPoint(
                  GaugeDataPointSnapshot.builder()
                      .labels(Labels.of("peer", "b", "kind", "x"))
                      .value(2)
                      .build())
              .dataPoint(
                  GaugeDataPointSnapshot.builder()
                      .labels(Labels.of("peer", "a", "kind", "x"))
                      .value(1)
                      .build())
              .build());
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  /** A task whose every run throws. */
  static Task failing(String message) {
    return new Task() {
      @Override
      public void run() throws IOException {
        throw new IOException(message);
      }

      @Override
      public MetricSnapshots snapshot() {
        return MetricSnapshots.of();
      }
    };
  }

  /** A task whose run blocks until interrupted. */
  static final class BlockingTask implements Task {
    final CountDownLatch started = new CountDownLatch(1);
    final AtomicBoolean interrupted = new AtomicBoolean();
    final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public void run() throws InterruptedException {
      started.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.set(true);
        throw e;
      }
    }

    @Override
    public MetricSnapshots snapshot() {
      return MetricSnapshots.of();
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  @Nested
  class Isolation {

    @Test
    void servesOtherTasksWhenOneFailsItsRuns() throws Exception {
      Crew crew =
          startAndAwaitFirstRuns(
              spec(TestTaskProvider.of("good", c -> new GoodTask("good_up"))),
              spec(TestTaskProvider.of("bad", c -> failing("source unreadable"))));

      assertThat(scrape(crew))
          .contains("good_up{kind=\"x\",peer=\"a\"} 1.0")
          .contains("planet_scrape_collector_success{collector=\"good\"} 1.0")
          .contains("planet_scrape_collector_success{collector=\"bad\"} 0.0")
          .contains("planet_task_failures_total{collector=\"bad\"} 1.0");
      assertThat(status(crew, "bad").lastError()).isEqualTo("source unreadable");
    }

    @Test
    void answersWhileATaskBlocksForeverInItsRun() throws Exception {
      BlockingTask blocking = new BlockingTask();
      Crew crew =
          start(
              spec(TestTaskProvider.of("good", c -> new GoodTask("good_up"))),
              spec(TestTaskProvider.of("stuck", c -> blocking)));
      blocking.started.await();
      awaitFirstRun(crew, "good");

      assertThat(scrape(crew))
          .contains("good_up{kind=\"x\",peer=\"a\"} 1.0")
          .contains("planet_scrape_collector_success{collector=\"good\"} 1.0")
          .contains("planet_scrape_collector_success{collector=\"stuck\"} 0.0");
      assertThat(crew.ready()).isFalse();
    }

    @Test
    void reportsFailureWhileARunIsOverdue() throws Exception {
      AtomicInteger runs = new AtomicInteger();
      Task slowSecondRun =
          new Task() {
            @Override
            public void run() throws InterruptedException {
              if (runs.incrementAndGet() > 1) {
                new CountDownLatch(1).await();
              }
            }

            @Override
            public MetricSnapshots snapshot() {
              return MetricSnapshots.of();
            }
          };
      Crew crew =
          startAndAwaitFirstRuns(
              spec(TestTaskProvider.of("slow", c -> slowSecondRun), Duration.ofMillis(20)));

      await(() -> status(crew, "slow").overdue(Instant.now()));
      assertThat(scrape(crew)).contains("planet_scrape_collector_success{collector=\"slow\"} 0.0");
      assertThat(status(crew, "slow").lastRunSucceeded()).isTrue();
    }

    @Test
    void dropsTheMetricsOfATaskWhoseSnapshotThrows() throws Exception {
      // A null label value is refused when the labels are built, at scrape time.
      Task throwing =
          serving(
              () ->
                  GaugeSnapshot.builder()
                      .name("broken_up")
                      .dataPoint(
                          GaugeDataPointSnapshot.builder()
                              .labels(Labels.of("peer", null))
                              .value(1)
                              .build())
                      .build());
      Crew crew =
          startAndAwaitFirstRuns(
              spec(TestTaskProvider.of("good", c -> new GoodTask("good_up"))),
              spec(TestTaskProvider.of("broken", c -> throwing)));

      assertThat(scrape(crew))
          .doesNotContain("broken_up")
          .contains("good_up{kind=\"x\",peer=\"a\"} 1.0")
          .contains("planet_scrape_collector_success{collector=\"broken\"} 0.0")
          .contains("planet_scrape_collector_success{collector=\"good\"} 1.0");
    }

    @Test
    void dropsATaskWhoseFamilyNameIsAlreadyServed() throws Exception {
      Crew crew =
          startAndAwaitFirstRuns(
              spec(TestTaskProvider.of("first", c -> new GoodTask("shared_up"))),
              spec(TestTaskProvider.of("second", c -> new GoodTask("shared_up"))),
              spec(TestTaskProvider.of("impostor", c -> new GoodTask("planet_hostname"))));

      String text = scrape(crew);

      assertThat(text)
          .contains("planet_scrape_collector_success{collector=\"first\"} 1.0")
          .contains("planet_scrape_collector_success{collector=\"second\"} 0.0")
          .contains("planet_scrape_collector_success{collector=\"impostor\"} 0.0");
      assertThat(text.lines().filter(l -> l.startsWith("shared_up{"))).hasSize(2);
      assertThat(text.lines().filter(l -> l.startsWith("planet_hostname{"))).hasSize(1);
    }

    @Test
    void dropsACounterWhoseTotalCollidesWithAGauge() throws Exception {
      Task counter =
          serving(
              () ->
                  io.prometheus.metrics.model.snapshots.CounterSnapshot.builder()
                      .name("good")
                      .dataPoint(
                          io.prometheus.metrics.model.snapshots.CounterSnapshot
                              .CounterDataPointSnapshot.builder()
                              .value(1)
                              .build())
                      .build());
      Crew crew =
          startAndAwaitFirstRuns(
              spec(TestTaskProvider.of("a", c -> new GoodTask("good_total"))),
              spec(TestTaskProvider.of("b", c -> counter)));

      assertThat(scrape(crew))
          .contains("planet_scrape_collector_success{collector=\"a\"} 1.0")
          .contains("planet_scrape_collector_success{collector=\"b\"} 0.0");
    }
  }

  @Nested
  class Output {

    @Test
    void isTheSameTextForTheSameState() throws Exception {
      Crew crew =
          startAndAwaitFirstRuns(
              CLOCK,
              spec(TestTaskProvider.of("zeta", c -> new GoodTask("zeta_up"))),
              spec(TestTaskProvider.of("alpha", c -> failing("down"))));

      // Run durations are measured on the monotonic ticker, not on the fixed clock.
      String text =
          scrape(crew)
              .replaceAll("(collector_duration_seconds\\{collector=\"\\w+\"}) \\S+", "$1 <took>");

      assertThat(text)
          .isEqualTo(
              """
              # HELP planet_hostname This host: its name, primary IP and the inventory's domain and hostgroup for it.
              # TYPE planet_hostname gauge
              planet_hostname{domain="",hostname="testhost",ip="192.0.2.10",local_hostgroup=""} 1.0
              # HELP planet_scrape_collector_duration_seconds Duration of the task's last completed run, 0 before the first.
              # TYPE planet_scrape_collector_duration_seconds gauge
              planet_scrape_collector_duration_seconds{collector="alpha"} <took>
              planet_scrape_collector_duration_seconds{collector="zeta"} <took>
              # HELP planet_scrape_collector_success Whether the task's last run succeeded, its snapshot was served and no run is overdue (1) or not (0).
              # TYPE planet_scrape_collector_success gauge
              planet_scrape_collector_success{collector="alpha"} 0.0
              planet_scrape_collector_success{collector="zeta"} 1.0
              # HELP planet_task_failures_total Runs of the task that failed.
              # TYPE planet_task_failures_total counter
              planet_task_failures_total{collector="alpha"} 1.0
              planet_task_failures_total{collector="zeta"} 0.0
              # HELP planet_task_last_success_timestamp_seconds Unix time at which the task's last successful run ended, 0 before the first.
              # TYPE planet_task_last_success_timestamp_seconds gauge
              planet_task_last_success_timestamp_seconds{collector="alpha"} 0.0
              planet_task_last_success_timestamp_seconds{collector="zeta"} 1.767323045E9
              # HELP planet_task_runs_total Runs of the task completed, failed included.
              # TYPE planet_task_runs_total counter
              planet_task_runs_total{collector="alpha"} 1.0
              planet_task_runs_total{collector="zeta"} 1.0
              # HELP planet_task_series_dropped Series of the task left out of this scrape because they were over its budget (-task-<name>-max-series).
              # TYPE planet_task_series_dropped gauge
              planet_task_series_dropped{collector="alpha"} 0.0
              planet_task_series_dropped{collector="zeta"} 0.0
              # HELP zeta_up Test gauge.
              # TYPE zeta_up gauge
              zeta_up{kind="x",peer="a"} 1.0
              zeta_up{kind="x",peer="b"} 2.0
              """);
    }

    @Test
    void writesAnIpv6PrimaryIpInRfc5952Form() throws Exception {
      HostIdentity v6 = new HostIdentity("v6host", address("2001:db8:0:0:0:0:0:2"), Set.of());
      Crew crew = Crew.create(List.of(), v6, CLOCK);
      crews.add(crew);

      assertThat(scrape(crew))
          .contains(
              "planet_hostname{domain=\"\",hostname=\"v6host\",ip=\"2001:db8::2\","
                  + "local_hostgroup=\"\"} 1.0");
    }

    @Test
    void reportsEveryTaskAsFailingBeforeItsFirstRun() throws Exception {
      BlockingTask blocking = new BlockingTask();
      Crew crew =
          Crew.create(List.of(spec(TestTaskProvider.of("idle", c -> blocking))), HOST, CLOCK);
      crews.add(crew);

      assertThat(scrape(crew))
          .contains("planet_scrape_collector_success{collector=\"idle\"} 0.0")
          .contains("planet_task_runs_total{collector=\"idle\"} 0.0");
      assertThat(crew.ready()).isFalse();
    }
  }

  @Nested
  class Budget {

    /** A task serving {@code wide_a} with 3 points, {@code wide_b} with 2, then {@code wide_c}. */
    private Task wide() {
      return new Task() {
        @Override
        public void run() {}

        @Override
        public MetricSnapshots snapshot() {
          return MetricSnapshots.of(
              gauge("wide_a", "1", "2", "3"), gauge("wide_b", "4", "5"), gauge("wide_c", "6"));
        }
      };
    }

    private GaugeSnapshot gauge(String name, String... peers) {
      GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name).help("Test gauge.");
      for (String peer : peers) {
        gauge.dataPoint(
            GaugeDataPointSnapshot.builder().labels(Labels.of("peer", peer)).value(1).build());
      }
      return gauge.build();
    }

    @Test
    void servesTheFirstSeriesInTaskOrderUpToTheBudgetAndCountsTheRest() throws Exception {
      Crew crew = startAndAwaitFirstRuns(CLOCK, spec(TestTaskProvider.of("wide", c -> wide()), 4));

      String text = scrape(crew);

      assertThat(text)
          .contains(
              """
              # TYPE wide_a gauge
              wide_a{peer="1"} 1.0
              wide_a{peer="2"} 1.0
              wide_a{peer="3"} 1.0
              # HELP wide_b Test gauge.
              # TYPE wide_b gauge
              wide_b{peer="4"} 1.0
              """)
          .contains("planet_task_series_dropped{collector=\"wide\"} 2.0")
          .contains("planet_scrape_collector_success{collector=\"wide\"} 1.0")
          .doesNotContain("peer=\"5\"", "wide_c");
    }

    @Test
    void servesEverySeriesOfATaskWithinItsBudget() throws Exception {
      Crew crew = startAndAwaitFirstRuns(CLOCK, spec(TestTaskProvider.of("wide", c -> wide()), 6));

      assertThat(scrape(crew))
          .contains("wide_c{peer=\"6\"} 1.0")
          .contains("planet_task_series_dropped{collector=\"wide\"} 0.0");
    }

    @Test
    void holdsEachTaskToItsOwnBudget() throws Exception {
      Crew crew =
          startAndAwaitFirstRuns(
              CLOCK,
              spec(TestTaskProvider.of("one", c -> serving(() -> gauge("one_peers", "a", "b"))), 1),
              spec(
                  TestTaskProvider.of("two", c -> serving(() -> gauge("two_peers", "a", "b"))), 2));

      assertThat(scrape(crew))
          .contains("one_peers{peer=\"a\"} 1.0", "two_peers{peer=\"b\"} 1.0")
          .doesNotContain("one_peers{peer=\"b\"}")
          .contains("planet_task_series_dropped{collector=\"one\"} 1.0")
          .contains("planet_task_series_dropped{collector=\"two\"} 0.0");
    }
  }

  @Nested
  class InventoryWiring {

    /** Knows one host. */
    final class InventoryTask implements Task, InventorySource {
      final AtomicInteger closes = new AtomicInteger();

      private final Inventory inventory =
          new Inventory() {
            @Override
            public Optional<Host> lookup(InetAddress address) {
              return IpAddress.of(address).equals(HOST.primaryAddress())
                  ? Optional.of(new Host("me.example", "web"))
                  : Optional.empty();
            }

            @Override
            public int size() {
              return 1;
            }
          };

      @Override
      public void run() {}

      @Override
      public MetricSnapshots snapshot() {
        return MetricSnapshots.of();
      }

      @Override
      public Inventory inventory() {
        return inventory;
      }

      @Override
      public void close() {
        closes.incrementAndGet();
      }
    }

    @Test
    void givesEveryTaskTheInventoryOfTheInventoryTask() throws Exception {
      InventoryTask inventoryTask = new InventoryTask();
      TestTaskProvider user = TestTaskProvider.of("user", c -> new GoodTask("user_up"));
      Crew crew = start(spec(TestTaskProvider.of("inventory", c -> inventoryTask)), spec(user));

      assertThat(user.context().inventory()).isSameAs(inventoryTask.inventory());
      assertThat(scrape(crew))
          .contains(
              "planet_hostname{domain=\"me.example\",hostname=\"testhost\",ip=\"192.0.2.10\","
                  + "local_hostgroup=\"web\"} 1.0");
    }

    @Test
    void givesTheEmptyInventoryWithoutAnInventoryTask() throws Exception {
      TestTaskProvider user = TestTaskProvider.of("user", c -> new GoodTask("user_up"));
      start(spec(user));

      assertThat(user.context().inventory()).isSameAs(Inventory.empty());
      assertThat(user.context().host()).isEqualTo(HOST);
      assertThat(user.context().taskName()).isEqualTo("user");
    }

    @Test
    void refusesTwoInventoryTasksClosingBothOnce() {
      InventoryTask one = new InventoryTask();
      InventoryTask two = new InventoryTask();

      assertThatThrownBy(
              () ->
                  start(
                      spec(TestTaskProvider.of("one", c -> one)),
                      spec(TestTaskProvider.of("two", c -> two))))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("tasks one and two both supply the inventory; enable only one of them");
      assertThat(one.closes).hasValue(1);
      assertThat(two.closes).hasValue(1);
    }
  }

  @Nested
  class Lifecycle {

    @Test
    void runsTheReadyActionOnceWhenEveryTaskHasRunOnce() throws Exception {
      CountDownLatch release = new CountDownLatch(1);
      AtomicInteger slowRuns = new AtomicInteger();
      Task slow =
          new Task() {
            @Override
            public void run() throws InterruptedException {
              if (slowRuns.incrementAndGet() == 1) {
                release.await();
              }
            }

            @Override
            public MetricSnapshots snapshot() {
              return MetricSnapshots.of();
            }
          };
      AtomicInteger actions = new AtomicInteger();
      Crew crew =
          Crew.create(
              List.of(
                  spec(
                      TestTaskProvider.of("good", c -> new GoodTask("good_up")),
                      Duration.ofMillis(10)),
                  spec(TestTaskProvider.of("slow", c -> slow), Duration.ofMillis(10))),
              HOST,
              Clock.systemUTC());
      crews.add(crew);
      crew.whenReady(actions::incrementAndGet);
      crew.start();
      awaitFirstRun(crew, "good");
      Thread.sleep(50);
      assertThat(actions).as("the slow task has not run yet").hasValue(0);

      release.countDown();
      await(() -> actions.get() == 1);
      await(() -> slowRuns.get() >= 3 && status(crew, "good").runs() >= 3);
      assertThat(actions).as("once, whatever runs follow").hasValue(1);
    }

    @Test
    void runsEachTaskOnItsOwnDaemonThread() throws Exception {
      List<Thread> threads = new CopyOnWriteArrayList<>();
      Task recording =
          new Task() {
            @Override
            public void run() {
              threads.add(Thread.currentThread());
            }

            @Override
            public MetricSnapshots snapshot() {
              return MetricSnapshots.of();
            }
          };
      Crew crew = startAndAwaitFirstRuns(spec(TestTaskProvider.of("socketstat", c -> recording)));

      assertThat(threads.get(0).getName()).isEqualTo("task-socketstat");
      assertThat(threads.get(0).isDaemon()).isTrue();
    }

    @Test
    void interruptsARunInProgressAndClosesTasksOnClose() throws Exception {
      BlockingTask blocking = new BlockingTask();
      GoodTask good = new GoodTask("good_up");
      Crew crew =
          start(
              spec(TestTaskProvider.of("stuck", c -> blocking)),
              spec(TestTaskProvider.of("good", c -> good)));
      blocking.started.await();

      crew.close();
      crew.close();

      assertThat(blocking.interrupted).isTrue();
      assertThat(blocking.closed).isTrue();
      assertThat(good.closes).hasValue(1);
    }

    @Test
    void closesTheTasksAlreadyCreatedWhenALaterOneCannotBe() {
      GoodTask first = new GoodTask("a_up");
      TestTaskProvider refusing =
          TestTaskProvider.of(
              "b",
              c -> {
                throw new ConfigurationException("-task-b-format: unknown format \"xml\"");
              });

      assertThatThrownBy(() -> start(spec(TestTaskProvider.of("a", c -> first)), spec(refusing)))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("-task-b-format: unknown format \"xml\"");
      assertThat(first.closes).hasValue(1);
    }

    @Test
    void isReadyOnceEveryTaskCompletedItsFirstRun() throws Exception {
      Crew crew =
          start(
              spec(TestTaskProvider.of("a", c -> new GoodTask("a_up"))),
              spec(TestTaskProvider.of("b", c -> failing("no"))));
      await(crew::ready);

      assertThat(crew.statuses()).allMatch(TaskStatus::completedFirstRun);
    }
  }

  @Nested
  class Recovery {

    @Test
    void runsAgainAfterAnErrorThatIsNoException() throws Exception {
      AtomicInteger runs = new AtomicInteger();
      Task breaking =
          new Task() {
            @Override
            public void run() {
              if (runs.incrementAndGet() == 1) {
                throw new OutOfMemoryError("Java heap space (thrown by the test)");
              }
              throw new Error("something else entirely");
            }

            @Override
            public MetricSnapshots snapshot() {
              return MetricSnapshots.of();
            }
          };
      Crew crew = start(spec(TestTaskProvider.of("broken", c -> breaking), Duration.ofMillis(10)));

      await(() -> status(crew, "broken").runs() >= 3);
      assertThat(status(crew, "broken").lastRunSucceeded()).isFalse();
      assertThat(status(crew, "broken").lastError()).isEqualTo("something else entirely");
    }

    @Test
    void givesTasksTheHostIdentityAsLastRead() throws Exception {
      HostIdentity moved =
          new HostIdentity("testhost", address("192.0.2.99"), Set.of(address("192.0.2.99")));
      AtomicReference<HostIdentity> current = new AtomicReference<>(HOST);
      TestTaskProvider provider = TestTaskProvider.of("seeing", c -> new GoodTask("seeing_up"));
      Crew crew = Crew.create(List.of(spec(provider)), HOST, Clock.systemUTC());
      crews.add(crew);
      crew.followHost(current::get, Duration.ofMillis(10));

      current.set(moved);

      await(() -> crew.host().equals(moved));
      assertThat(provider.context().host()).isEqualTo(moved);
      assertThat(scrape(crew)).contains("ip=\"192.0.2.99\"");
    }

    @Test
    void keepsTheHostIdentityWhenReadingItAgainFails() throws Exception {
      AtomicInteger reads = new AtomicInteger();
      Crew crew = Crew.create(List.of(), HOST, Clock.systemUTC());
      crews.add(crew);
      crew.followHost(
          () -> {
            reads.incrementAndGet();
            throw new IllegalStateException("no /proc today");
          },
          Duration.ofMillis(10));

      await(() -> reads.get() >= 3);
      assertThat(crew.host()).isEqualTo(HOST);
    }
  }

  @Nested
  class FailureLogging {

    @Test
    void warnsOnceWhenATaskStartsFailingAndSaysWhenItRecovers() throws Exception {
      Logger logger = Logger.getLogger(TaskRunner.class.getName());
      List<LogRecord> records = new CopyOnWriteArrayList<>();
      Handler handler =
          new Handler() {
            @Override
            public void publish(LogRecord record) {
              records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
          };
      Level level = logger.getLevel();
      logger.setLevel(Level.FINE);
      logger.addHandler(handler);
      AtomicInteger runs = new AtomicInteger();
      Task flaky =
          new Task() {
            @Override
            public void run() throws IOException {
              if (runs.incrementAndGet() <= 3) {
                throw new IOException("connection refused");
              }
            }

            @Override
            public MetricSnapshots snapshot() {
              return MetricSnapshots.of();
            }
          };
      try {
        Crew crew = start(spec(TestTaskProvider.of("flaky", c -> flaky), Duration.ofMillis(5)));
        await(() -> status(crew, "flaky").runs() >= 4);
        crew.close();
      } finally {
        logger.removeHandler(handler);
        logger.setLevel(level);
      }

      assertThat(records)
          .extracting(LogRecord::getLevel, LogRecord::getMessage)
          .startsWith(
              org.assertj.core.groups.Tuple.tuple(Level.WARNING, "task failed"),
              org.assertj.core.groups.Tuple.tuple(Level.FINE, "task failed again"),
              org.assertj.core.groups.Tuple.tuple(Level.FINE, "task failed again"),
              org.assertj.core.groups.Tuple.tuple(Level.INFO, "task recovered"));
      assertThat(records.get(0).getThrown()).hasMessage("connection refused");
    }
  }

  private static IpAddress address(String text) {
    return IpAddress.parse(text);
  }
}
