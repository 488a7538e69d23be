package io.planetexporter.task.socketstat.bytes;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.task.socketstat.classify.Direction;
import io.planetexporter.task.socketstat.classify.Edge;
import io.planetexporter.task.socketstat.classify.EdgeLabels;
import io.planetexporter.task.socketstat.table.Protocol;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ByteCountLedgerTest {

  private static final Edge WEB = edge("web", "java");
  private static final Edge DB = edge("db", "java");
  private static final Instant T0 = Instant.parse("2026-11-30T00:00:00Z");

  private final ByteCountLedger ledger = new ByteCountLedger(Duration.ofMinutes(10));

  private static Edge edge(String remote, String process) {
    return new Edge(
        Direction.UPSTREAM,
        new EdgeLabels("", "", "10.0.0.1", remote, 443, Protocol.TCP, process, "", "", ""));
  }

  /** A connection of a collection's table, as the test writes it. */
  private record Seen(long cookie, Edge edge, ByteCount payload) {}

  private static Seen live(long cookie, Edge edge, long egress, long ingress) {
    return new Seen(cookie, edge, new ByteCount(egress, ingress));
  }

  private static ByteCountLedger.Closed closed(long cookie, Edge edge, long egress, long ingress) {
    return new ByteCountLedger.Closed(cookie, edge, new ByteCount(egress, ingress), 0, null);
  }

  private Map<Edge, ByteCount> collect(
      int second, List<Seen> seen, List<ByteCountLedger.Closed> events) {
    ledger.begin(T0.plusSeconds(second));
    for (Seen connection : seen) {
      ledger.see(
          connection.cookie(),
          connection.edge(),
          connection.payload().egress(),
          connection.payload().ingress(),
          0,
          0);
    }
    ledger.end(events);
    return ledger.totals();
  }

  @Nested
  class LiveAndClosed {

    @Test
    void addsLiveConnectionsToClosedOnes() {
      collect(0, List.of(live(1, WEB, 100, 10), live(2, WEB, 50, 5)), List.of());

      assertThat(collect(7, List.of(live(1, WEB, 300, 30)), List.of(closed(2, WEB, 80, 8))))
          .containsExactly(Map.entry(WEB, new ByteCount(380, 38)));
    }

    @Test
    void countsAConnectionNeverSeenLiveFromItsEventAlone() {
      assertThat(collect(0, List.of(), List.of(closed(9, DB, 1_000, 2_000))))
          .containsExactly(Map.entry(DB, new ByteCount(1_000, 2_000)));
    }

    @Test
    void countsAnEventThatRacedTheDumpOnce() {
      collect(0, List.of(live(1, WEB, 100, 10)), List.of());

      // Seen live in this dump, and announced closed before the collection took its events.
      assertThat(collect(7, List.of(live(1, WEB, 150, 15)), List.of(closed(1, WEB, 160, 16))))
          .containsExactly(Map.entry(WEB, new ByteCount(160, 16)));
      assertThat(collect(14, List.of(), List.of()))
          .containsExactly(Map.entry(WEB, new ByteCount(160, 16)));
    }
  }

  @Nested
  class WithoutEvents {

    @Test
    void countsAVanishedConnectionAtItsLastSeenBytes() {
      collect(0, List.of(live(1, WEB, 100, 10)), List.of());

      assertThat(collect(7, List.of(), List.of()))
          .containsExactly(Map.entry(WEB, new ByteCount(100, 10)));
    }

    @Test
    void addsOnlyWhatALateEventHasBeyondTheLastSeenBytes() {
      collect(0, List.of(live(1, WEB, 100, 10)), List.of());
      collect(7, List.of(), List.of()); // the event was lost, or trails

      assertThat(collect(14, List.of(), List.of(closed(1, WEB, 120, 10))))
          .containsExactly(Map.entry(WEB, new ByteCount(120, 10)));
    }
  }

  @Nested
  class TableOrder {

    @Test
    void countsEachConnectionOnceWhateverOrderAndGapsTheTablesComeIn() {
      Random random = new Random(14);
      Map<Long, ByteCount> open = new HashMap<>();
      ByteCount closedTotal = ByteCount.ZERO;
      long nextCookie = 1;
      for (int second = 0; second < 200; second++) {
        // Mostly the last order (as the kernel dumps an unchanged table), with connections
        // opened at random places, closed, and now and then a shuffle.
        for (int i = random.nextInt(5); i > 0; i--) {
          open.put(nextCookie++, ByteCount.ZERO);
        }
        List<Long> cookies = new ArrayList<>(open.keySet());
        for (int i = random.nextInt(3); i > 0 && !cookies.isEmpty(); i--) {
          Long gone = cookies.remove(random.nextInt(cookies.size()));
          closedTotal = closedTotal.plus(open.remove(gone));
        }
        if (random.nextInt(10) == 0) {
          Collections.shuffle(cookies, random);
        } else {
          cookies.sort((a, b) -> Long.compare(a * 7919 % 101, b * 7919 % 101));
        }
        List<Seen> seen = new ArrayList<>();
        for (long cookie : cookies) {
          ByteCount now =
              open.get(cookie).plus(new ByteCount(random.nextInt(50), random.nextInt(50)));
          open.put(cookie, now);
          seen.add(new Seen(cookie, WEB, now));
        }

        ByteCount expected = closedTotal;
        for (ByteCount bytes : open.values()) {
          expected = expected.plus(bytes);
        }
        assertThat(collect(second, seen, List.of()).getOrDefault(WEB, ByteCount.ZERO))
            .isEqualTo(expected);
      }
    }
  }

  @Nested
  class ListedTwice {

    @Test
    void countsASocketTheDumpListsTwiceOnce() {
      collect(0, List.of(live(1, WEB, 100, 10), live(2, WEB, 5, 5)), List.of());

      // A dump resumed after a change in the kernel's table may list a socket again.
      assertThat(
              collect(
                  7,
                  List.of(live(1, WEB, 110, 11), live(2, WEB, 6, 6), live(1, WEB, 120, 12)),
                  List.of()))
          .containsExactly(Map.entry(WEB, new ByteCount(126, 18)));
      assertThat(collect(14, List.of(live(1, WEB, 120, 12)), List.of(closed(2, WEB, 7, 7))))
          .containsExactly(Map.entry(WEB, new ByteCount(127, 19)));
    }

    @Test
    void countsANewSocketListedTwiceAndClosedInItsFirstCollectionOnce() {
      assertThat(
              collect(
                  0,
                  List.of(live(3, WEB, 40, 4), live(3, DB, 50, 5)),
                  List.of(closed(3, DB, 60, 6))))
          .containsOnly(Map.entry(WEB, new ByteCount(40, 4)), Map.entry(DB, new ByteCount(20, 2)));
    }
  }

  @Nested
  class NeverDecreasing {

    @Test
    void keepsTheLargestBytesSeenOfAConnection() {
      collect(0, List.of(live(1, WEB, 100, 11)), List.of());

      assertThat(collect(7, List.of(live(1, WEB, 99, 10)), List.of()))
          .containsExactly(Map.entry(WEB, new ByteCount(100, 11)));
    }

    @Test
    void leavesWhatAConnectionCountedOnItsOldEdgeWhenItsLabelsChange() {
      Edge unnamed = edge("web", "");
      collect(0, List.of(live(1, unnamed, 100, 10)), List.of());

      assertThat(collect(7, List.of(live(1, WEB, 130, 12)), List.of()))
          .containsOnly(
              Map.entry(unnamed, new ByteCount(100, 10)), Map.entry(WEB, new ByteCount(30, 2)));
    }

    @Test
    void countsOnEachEdgeWhatAConnectionAddedWhileOnItAcrossMovesAndItsClose() {
      Edge unnamed = edge("web", "");
      collect(0, List.of(live(1, unnamed, 100, 10)), List.of());
      collect(7, List.of(live(1, WEB, 130, 12)), List.of());
      collect(14, List.of(live(1, unnamed, 150, 20)), List.of());

      assertThat(collect(21, List.of(), List.of())) // vanished: counted at its last-seen bytes
          .containsOnly(
              Map.entry(unnamed, new ByteCount(120, 18)), Map.entry(WEB, new ByteCount(30, 2)));
      assertThat(collect(28, List.of(), List.of(closed(1, DB, 160, 25)))) // its late event
          .containsOnly(
              Map.entry(unnamed, new ByteCount(130, 23)), Map.entry(WEB, new ByteCount(30, 2)));
    }

    @Test
    void countsEveryConnectionOnceAcrossEdgesWhateverItsMovesAndClose() {
      List<Edge> edges = List.of(WEB, DB, edge("web", ""));
      for (long seed = 0; seed < 20; seed++) {
        Random random = new Random(seed);
        ByteCountLedger moving = new ByteCountLedger(Duration.ofMinutes(10));
        Map<Long, ByteCount> largest = new HashMap<>(); // what each connection must count
        Map<Edge, ByteCount> before = Map.of();
        long nextCookie = 1;
        List<Long> open = new ArrayList<>();
        for (int second = 0; second < 100; second++) { // within the late event window
          while (open.size() < 12) {
            open.add(nextCookie++);
          }
          moving.begin(T0.plusSeconds(second));
          List<ByteCountLedger.Closed> events = new ArrayList<>();
          for (Long cookie : List.copyOf(open)) {
            ByteCount grown =
                largest
                    .getOrDefault(cookie, ByteCount.ZERO)
                    .plus(new ByteCount(random.nextInt(50), random.nextInt(50)));
            // A table may list less than was seen before: the ledger keeps the largest.
            ByteCount listed =
                random.nextInt(8) == 0
                    ? new ByteCount(grown.egress() / 2, grown.ingress() / 2)
                    : grown;
            Edge edge = edges.get(random.nextInt(edges.size())); // relabelled at random
            int fate = random.nextInt(10);
            if (fate != 0) { // 0: gone before this table
              moving.see(cookie, edge, listed.egress(), listed.ingress(), 0, 0);
              largest.merge(cookie, listed, ByteCount::max);
            }
            if (fate <= 1) { // closed: its event now or never, its cookie never listed again
              if (random.nextBoolean()) {
                events.add(closed(cookie, edge, grown.egress(), grown.ingress()));
                largest.merge(cookie, grown, ByteCount::max);
              }
              open.remove(cookie);
            }
          }
          moving.end(events);
          Map<Edge, ByteCount> after = moving.totals();
          ByteCount sum = after.values().stream().reduce(ByteCount.ZERO, ByteCount::plus);
          assertThat(sum)
              .as("seed %d, second %d", seed, second)
              .isEqualTo(largest.values().stream().reduce(ByteCount.ZERO, ByteCount::plus));
          for (Map.Entry<Edge, ByteCount> edge : before.entrySet()) {
            assertThat(after.get(edge.getKey()).max(edge.getValue()))
                .as("seed %d, second %d, %s", seed, second, edge.getKey())
                .isEqualTo(after.get(edge.getKey()));
          }
          before = after;
        }
      }
    }

    @Test
    void countsThousandsOfConnectionsOnceAsTheirSlotsAreGivenToNewOnes() {
      // Past the columns' first 1,024 slots and the index's first sizes, with a tenth of the
      // connections closing each collection (by event or not) and as many new ones taking their
      // slots, some listed twice, some tables shuffled.
      Random random = new Random(21);
      List<Edge> edges = List.of(WEB, DB);
      Map<Long, ByteCount> largest = new HashMap<>();
      List<Long> open = new ArrayList<>();
      long nextCookie = 1;
      for (int second = 0; second < 40; second++) {
        while (open.size() < 3_000) {
          open.add(nextCookie++);
        }
        List<Long> listed = new ArrayList<>(open);
        if (random.nextInt(4) == 0) {
          Collections.shuffle(listed, random);
        }
        ledger.begin(T0.plusSeconds(second));
        List<ByteCountLedger.Closed> events = new ArrayList<>();
        for (Long cookie : listed) {
          ByteCount grown =
              largest
                  .getOrDefault(cookie, ByteCount.ZERO)
                  .plus(new ByteCount(random.nextInt(1_000), random.nextInt(1_000)));
          Edge edge = edges.get((int) (cookie % 2));
          int fate = random.nextInt(20);
          if (fate != 0) { // 0: gone before this table, its event now or never
            int times = random.nextInt(100) == 0 ? 2 : 1;
            for (int i = 0; i < times; i++) {
              ledger.see(cookie, edge, grown.egress(), grown.ingress(), 0, 0);
            }
            largest.put(cookie, grown);
          }
          if (fate <= 1) {
            if (random.nextBoolean()) {
              ByteCount last = grown.plus(new ByteCount(1, 1));
              events.add(closed(cookie, edge, last.egress(), last.ingress()));
              largest.put(cookie, last);
            }
            open.remove(cookie);
          }
        }
        ledger.end(events);
        assertThat(ledger.totals().values().stream().reduce(ByteCount.ZERO, ByteCount::plus))
            .as("second %d", second)
            .isEqualTo(largest.values().stream().reduce(ByteCount.ZERO, ByteCount::plus));
      }
    }

    @Test
    void countsOnceThroughATableThatGrowsLargeAndShrinksAgain() {
      // 20,000 connections, then all but 100 gone (their room let go), then new ones beside them.
      Map<Long, ByteCount> largest = new HashMap<>();
      List<Seen> large = new ArrayList<>();
      for (long cookie = 1; cookie <= 20_000; cookie++) {
        large.add(live(cookie, cookie % 2 == 0 ? WEB : DB, cookie, 1));
        largest.put(cookie, new ByteCount(cookie, 1));
      }
      collect(0, large, List.of());
      List<Seen> small = new ArrayList<>();
      for (long cookie = 200; cookie <= 20_000; cookie += 200) {
        small.add(live(cookie, WEB, cookie + 5, 2));
        largest.put(cookie, new ByteCount(cookie + 5, 2));
      }
      collect(7, small, List.of(closed(20_001, DB, 9, 9)));
      largest.put(20_001L, new ByteCount(9, 9));
      small.add(live(30_000, DB, 3, 3));
      largest.put(30_000L, new ByteCount(3, 3));

      Map<Edge, ByteCount> totals = collect(14, small, List.of(closed(400, WEB, 405, 7)));
      largest.put(400L, new ByteCount(405, 7));

      assertThat(totals.values().stream().reduce(ByteCount.ZERO, ByteCount::plus))
          .isEqualTo(largest.values().stream().reduce(ByteCount.ZERO, ByteCount::plus));
      assertThat(collect(21, small.subList(2, small.size()), List.of()))
          .as("cookie 200 vanished at its last-seen bytes, 400 closed by its event")
          .isEqualTo(totals);
    }

    @Test
    void noEdgeEverDecreasesWhateverTheOrderOfDumpsAndEvents() {
      Random random = new Random(9);
      Map<Edge, ByteCount> before = new HashMap<>();
      Map<Long, ByteCount> bytes = new HashMap<>();
      for (int second = 0; second < 2_000; second += 7) {
        List<Seen> seen = new ArrayList<>();
        List<ByteCountLedger.Closed> events = new ArrayList<>();
        for (long cookie = 1; cookie <= 20; cookie++) {
          ByteCount now =
              bytes
                  .getOrDefault(cookie, ByteCount.ZERO)
                  .plus(new ByteCount(random.nextInt(100), random.nextInt(100)));
          bytes.put(cookie, now);
          Edge edge = cookie % 2 == 0 ? WEB : DB;
          switch (random.nextInt(4)) {
            case 0 -> seen.add(new Seen(cookie, edge, now));
            case 1 -> events.add(closed(cookie, edge, now.egress(), now.ingress()));
            case 2 -> {
              seen.add(new Seen(cookie, edge, now));
              events.add(closed(cookie, edge, now.egress(), now.ingress()));
            }
            default -> {} // neither: vanished, or not yet seen
          }
        }
        Map<Edge, ByteCount> after = collect(second, seen, events);
        for (Map.Entry<Edge, ByteCount> edge : before.entrySet()) {
          ByteCount now = after.get(edge.getKey());
          assertThat(now.egress()).isGreaterThanOrEqualTo(edge.getValue().egress());
          assertThat(now.ingress()).isGreaterThanOrEqualTo(edge.getValue().ingress());
        }
        before = after;
      }
    }
  }

  @Nested
  class Retention {

    @Test
    void keepsAnIdleEdgeForTheRetentionAfterItsLastByteThenDropsIt() {
      collect(0, List.of(live(1, WEB, 100, 10)), List.of());
      collect(60, List.of(), List.of(closed(1, WEB, 100, 10)));

      assertThat(collect(60 + 600, List.of(), List.of())).containsKey(WEB);
      assertThat(collect(60 + 601, List.of(), List.of())).isEmpty();
    }

    @Test
    void keepsAnEdgeWithALiveConnectionHoweverIdle() {
      collect(0, List.of(live(1, WEB, 100, 10)), List.of());

      assertThat(collect(3_600, List.of(live(1, WEB, 100, 10)), List.of()))
          .containsExactly(Map.entry(WEB, new ByteCount(100, 10)));
    }
  }
}
