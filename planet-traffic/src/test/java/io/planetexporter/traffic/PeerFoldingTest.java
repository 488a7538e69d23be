package io.planetexporter.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PeerFoldingTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration RETENTION = Duration.ofMinutes(10);

  private final PeerFolding<String> folding =
      new PeerFolding<>(Comparator.naturalOrder(), RETENTION, 100);

  /** One series: peer, named or not, hostgroup, rest key. */
  private record Series(String peer, boolean named, String hostgroup, String key) {}

  private static Series unnamed(String peer, String key) {
    return new Series(peer, false, "", key);
  }

  private static Series named(String peer, String hostgroup, String key) {
    return new Series(peer, true, hostgroup, key);
  }

  /** Runs once at {@code now} with the series in the given order; returns the folded peers. */
  private Result run(Instant now, long budget, List<Series> series) {
    PeerFolding<String>.Run run = folding.start(now);
    for (Series s : series) {
      run.add(s.peer(), s.named(), s.hostgroup(), s.key());
    }
    long served = run.fold(budget);
    TreeSet<String> folded = new TreeSet<>();
    for (Series s : series) {
      if (run.isFolded(s.peer())) {
        folded.add(s.peer());
      }
    }
    assertThat(run.foldedPeers()).isEqualTo(folded.size());
    return new Result(folded, served);
  }

  private record Result(TreeSet<String> folded, long served) {}

  /** a: 3 series, b: 2, c: 1, d: 1, e: 2 (keys in, out, x). */
  private static List<Series> fivePeers() {
    return List.of(
        unnamed("a", "in"),
        unnamed("a", "out"),
        unnamed("a", "x"),
        unnamed("b", "in"),
        unnamed("b", "out"),
        unnamed("c", "in"),
        unnamed("d", "out"),
        unnamed("e", "in"),
        unnamed("e", "out"));
  }

  @Nested
  class Order {

    @Test
    void foldsNothingWithinTheBudget() {
      assertThat(run(T0, 9, fivePeers()).folded()).isEmpty();
      assertThat(run(T0, 9, fivePeers()).served()).isEqualTo(9);
    }

    @Test
    void foldsThePeersWithTheFewestSeriesFirstTiesInPeerOrder() {
      // 9 series. Folding c (1 series, new key "in") leaves 9; then d (new key "out") 9;
      // then b (keys already in other) 7; then e: 5.
      assertThat(run(T0, 8, fivePeers()).folded()).containsExactly("b", "c", "d");
      assertThat(run(T0, 8, fivePeers()).served()).isEqualTo(7);
    }

    @Test
    void foldsEveryUnnamedPeerIfNeededIntoOneSeriesPerRestKey() {
      Result result = run(T0, 3, fivePeers());

      assertThat(result.folded()).containsExactly("a", "b", "c", "d", "e");
      assertThat(result.served()).isEqualTo(3);
    }

    @Test
    void foldsNamedPeersOnlyWhenFoldingEveryUnnamedOneIsNotEnoughAndThenByHostgroup() {
      List<Series> series = new ArrayList<>(fivePeers());
      series.add(named("db1", "db", "in"));
      series.add(named("db2", "db", "in"));
      series.add(named("web1", "web", "in"));
      series.add(named("web1", "web", "out"));

      assertThat(run(T0, 7, series).folded()).containsExactly("a", "b", "c", "d", "e");

      PeerFolding<String> fresh = new PeerFolding<>(Comparator.naturalOrder(), RETENTION, 100);
      PeerFolding<String>.Run run = fresh.start(T0);
      series.forEach(s -> run.add(s.peer(), s.named(), s.hostgroup(), s.key()));
      // unnamed: 3 other series; db1+db2 -> (db, in): 1 series; web1: 2 series.
      assertThat(run.fold(6)).isEqualTo(6);
      assertThat(run.isFolded("db1")).isTrue();
      assertThat(run.isFolded("db2")).isTrue();
      assertThat(run.isFolded("web1")).isFalse();
    }

    @Test
    void servesMoreThanTheBudgetWhenEveryPeerIsFoldedAndStillTooMany() {
      Result result = run(T0, 1, fivePeers());

      assertThat(result.folded()).hasSize(5);
      assertThat(result.served()).isEqualTo(3);
    }

    @Test
    void countsASeriesAddedTwiceOnce() {
      List<Series> series = List.of(unnamed("a", "in"), unnamed("a", "in"), unnamed("b", "in"));

      assertThat(run(T0, 2, series).folded()).isEmpty();
    }

    @Test
    void handlesAPeerWithManySeries() {
      List<Series> series = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        series.add(unnamed("busy", "port" + i));
        series.add(unnamed("busy", "port" + i));
      }
      series.add(unnamed("quiet1", "port0"));
      series.add(unnamed("quiet2", "port0"));

      Result result = run(T0, 101, series);

      assertThat(result.folded()).containsExactly("quiet1", "quiet2");
      assertThat(result.served()).isEqualTo(101);
    }
  }

  @Nested
  class Stability {

    @Test
    void foldsTheSamePeersWhateverTheOrderOfTheInput() {
      List<Series> series = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        series.add(unnamed(String.format("p%03d", i), "in"));
        if (i % 3 == 0) {
          series.add(unnamed(String.format("p%03d", i), "out"));
        }
      }
      TreeSet<String> first = run(T0, 120, series).folded();
      Random random = new Random(42);
      for (int round = 0; round < 5; round++) {
        List<Series> shuffled = new ArrayList<>(series);
        Collections.shuffle(shuffled, random);
        PeerFolding<String> other = new PeerFolding<>(Comparator.naturalOrder(), RETENTION, 100);
        PeerFolding<String>.Run run = other.start(T0);
        shuffled.forEach(s -> run.add(s.peer(), s.named(), s.hostgroup(), s.key()));
        run.fold(120);
        TreeSet<String> folded = new TreeSet<>();
        series.forEach(
            s -> {
              if (run.isFolded(s.peer())) {
                folded.add(s.peer());
              }
            });
        assertThat(folded).isEqualTo(first);
      }
    }

    @Test
    void keepsAFoldedPeerFoldedInLaterRunsEvenWithRoomToSpare() {
      assertThat(run(T0, 8, fivePeers()).folded()).containsExactly("b", "c", "d");

      assertThat(run(T0.plusSeconds(7), 100, fivePeers()).folded()).containsExactly("b", "c", "d");
    }

    @Test
    void foldsTheSamePeersRunAfterRun() {
      TreeSet<String> first = run(T0, 8, fivePeers()).folded();
      for (int i = 1; i <= 10; i++) {
        assertThat(run(T0.plusSeconds(7L * i), 8, fivePeers()).folded()).isEqualTo(first);
      }
    }

    @Test
    void keepsAFoldedPeerThatWasAbsentForLessThanTheRetention() {
      run(T0, 8, fivePeers());
      run(T0.plusSeconds(60), 100, List.of(unnamed("a", "in")));

      assertThat(run(T0.plus(RETENTION), 100, fivePeers()).folded()).containsExactly("b", "c", "d");
    }

    @Test
    void forgetsAFoldedPeerAbsentForLongerThanTheRetention() {
      run(T0, 8, fivePeers());
      run(T0.plus(RETENTION).plusSeconds(1), 100, List.of(unnamed("a", "in")));

      assertThat(folding.remembered()).isZero();
      assertThat(run(T0.plus(RETENTION).plusSeconds(2), 100, fivePeers()).folded()).isEmpty();
    }

    @Test
    void forgetsTheLeastRecentlySeenOfTooManyAbsentPeers() {
      PeerFolding<String> small = new PeerFolding<>(Comparator.naturalOrder(), RETENTION, 2);
      // Each run folds its one peer (budget 0) and leaves the earlier ones absent.
      for (int i = 0; i < 5; i++) {
        PeerFolding<String>.Run run = small.start(T0.plusSeconds(i));
        run.add("p" + i, false, "", "in");
        run.fold(0);
      }

      assertThat(small.remembered()).isEqualTo(3); // p4 seen now, p3 and p2 absent
      PeerFolding<String>.Run run = small.start(T0.plusSeconds(5));
      for (String peer : List.of("p1", "p2", "p3", "q")) {
        run.add(peer, false, "", peer);
      }
      run.fold(100);
      assertThat(run.isFolded("p1")).isFalse();
      assertThat(run.isFolded("p2")).isTrue();
      assertThat(run.isFolded("p3")).isTrue();
    }

    @Test
    void foldsAnUnfoldedPeerBeforeUnfoldingAny() {
      run(T0, 8, fivePeers());
      List<Series> more = new ArrayList<>(fivePeers());
      more.add(unnamed("f", "in"));
      more.add(unnamed("f", "out"));
      more.add(unnamed("f", "x"));

      // b, c, d stay folded (other: in, out); a, e, f have 3 + 2 + 3 series; e goes next.
      assertThat(run(T0.plusSeconds(7), 9, more).folded()).containsExactly("b", "c", "d", "e");
    }
  }

  @Test
  void refusesMisuse() {
    PeerFolding<String>.Run run = folding.start(T0);
    assertThatThrownBy(() -> run.isFolded("a")).isInstanceOf(IllegalStateException.class);
    run.fold(1);
    assertThatThrownBy(() -> run.add("a", false, "", "in"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> run.fold(1)).isInstanceOf(IllegalStateException.class);
  }
}
