package io.planetexporter.fetch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.testfixtures.TestHttpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

  @Test
  void sharesOneLimitBetweenAccountsAndRefusesTheChargeThatPassesIt() {
    MemoryBudget budget = new MemoryBudget(1000);
    MemoryBudget.Account darkstat = budget.account("task darkstat");
    MemoryBudget.Account ebpf = budget.account("task ebpf");
    darkstat.charge(600);
    ebpf.charge(400);

    assertThatThrownBy(() -> darkstat.charge(1))
        .isInstanceOf(MemoryBudgetException.class)
        .hasMessage(
            "task darkstat: over the memory budget of fetched documents: needs 0.0 MiB more,"
                + " holds 0.0 MiB, and all tasks together may hold 0.0 MiB (half the heap, -Xmx)"
                + " of which 0.0 MiB is taken; refused");
    assertThat(darkstat.held()).isEqualTo(600);
    assertThat(budget.held()).isEqualTo(1000);

    ebpf.settle(0);
    darkstat.charge(400);
    assertThat(budget.held()).isEqualTo(1000);
    darkstat.settle(100);
    assertThat(budget.held()).isEqualTo(100);
  }

  @Test
  void namesWhatIsHeldInMebibytes() {
    MemoryBudget budget = new MemoryBudget(128L << 20);
    budget.account("task inventory").charge(100L << 20);
    MemoryBudget.Account darkstat = budget.account("task darkstat");
    darkstat.charge(20L << 20);

    assertThatThrownBy(() -> darkstat.charge(9L << 20))
        .hasMessage(
            "task darkstat: over the memory budget of fetched documents: needs 9.0 MiB more,"
                + " holds 20.0 MiB, and all tasks together may hold 128.0 MiB (half the heap,"
                + " -Xmx) of which 120.0 MiB is taken; refused");
  }

  @Test
  void neverHoldsMoreThanTheLimitWhateverTheThreads() throws Exception {
    MemoryBudget budget = new MemoryBudget(10_000);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Long>> granted = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      MemoryBudget.Account account = budget.account("task " + t);
      granted.add(
          threads.submit(
              () -> {
                start.await();
                long sum = 0;
                for (int i = 0; i < 10_000; i++) {
                  try {
                    account.charge(7);
                    sum += 7;
                  } catch (MemoryBudgetException e) {
                    // Another thread took the room; the limit held.
                  }
                }
                return sum;
              }));
    }
    start.countDown();
    long total = 0;
    for (Future<Long> g : granted) {
      total += g.get(30, TimeUnit.SECONDS);
    }
    threads.shutdown();

    assertThat(total).isEqualTo(budget.held()).isEqualTo(10_000 / 7 * 7);
  }

  @Test
  void aFetchReservesItsReadingBeforeTheFirstRequestAndReleasesItAfter() throws Exception {
    try (TestHttpServer server = TestHttpServer.start()) {
      server.respond(200, "hello");
      BoundedFetcher fetcher = new BoundedFetcher(Duration.ofSeconds(10), 1024);
      MemoryBudget small = new MemoryBudget(BoundedFetcher.READING_BYTES - 1);

      assertThatThrownBy(
              () ->
                  fetcher.fetch(server.uri("/x"), small.account("task t"), in -> in.readAllBytes()))
          .isInstanceOf(FetchException.class)
          .hasMessageStartingWith(
              server.uri("/x") + ": task t: over the memory budget of fetched documents");
      assertThat(server.requests()).isZero();

      MemoryBudget enough = new MemoryBudget(BoundedFetcher.READING_BYTES + 100);
      MemoryBudget.Account account = enough.account("task t");
      byte[] body =
          fetcher.fetch(
              server.uri("/x"),
              account,
              in -> {
                assertThat(account.held()).isEqualTo(BoundedFetcher.READING_BYTES);
                account.charge(100);
                return in.readAllBytes();
              });
      assertThat(body).asString(UTF_8).isEqualTo("hello");
      // What the reader built stays charged; the reading does not.
      assertThat(account.held()).isEqualTo(100);
    }
  }

  @Test
  void aChargeTheReaderCannotMakeFailsTheFetchNamingTheDocument() throws Exception {
    try (TestHttpServer server = TestHttpServer.start()) {
      server.respond(200, "hello");
      BoundedFetcher fetcher = new BoundedFetcher(Duration.ofSeconds(10), 1024);
      MemoryBudget budget = new MemoryBudget(BoundedFetcher.READING_BYTES + 10);
      MemoryBudget.Account account = budget.account("task t");

      assertThatThrownBy(
              () ->
                  fetcher.fetch(
                      server.uri("/x"),
                      account,
                      in -> {
                        account.charge(11);
                        return in.readAllBytes();
                      }))
          .isInstanceOf(FetchException.class)
          .hasMessageStartingWith(
              server.uri("/x") + ": task t: over the memory budget of fetched documents");
      assertThat(budget.held()).isZero();
    }
  }
}
