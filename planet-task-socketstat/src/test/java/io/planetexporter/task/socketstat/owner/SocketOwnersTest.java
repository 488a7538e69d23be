package io.planetexporter.task.socketstat.owner;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.task.socketstat.FakeProcTree;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketOwnersTest {

  @TempDir Path root;
  private FakeProcTree proc;
  private RecordingSource source;
  private SocketOwners owners;

  @BeforeEach
  void createTree() {
    proc = new FakeProcTree(root);
    source = new RecordingSource(new ProcFsProcessSource(root));
    owners = new SocketOwners(source, UnaryOperator.identity());
  }

  private static String render(OwnerLookup lookup) {
    StringBuilder text = new StringBuilder();
    owners(lookup)
        .forEach(
            (inode, owner) -> {
              text.append(inode)
                  .append(" ")
                  .append(owner.pid())
                  .append(" ")
                  .append(owner.name())
                  .append("\n");
            });
    return text.toString();
  }

  /** The owner of each inode of a lookup that has one, by inode. */
  private static SortedMap<Long, ProcessInfo> owners(OwnerLookup lookup) {
    SortedMap<Long, ProcessInfo> owners = new TreeMap<>();
    for (int i = 0; i < lookup.count; i++) {
      if (lookup.byIndex[i] != null) {
        owners.putIfAbsent(Integer.toUnsignedLong(lookup.inodes[i]), lookup.byIndex[i]);
      }
    }
    return owners;
  }

  private OwnerLookup lookup(long... inodes) throws IOException {
    return lookup(owners, inodes);
  }

  /** A lookup of a table's inodes, given one by one as the task gives them. */
  private static OwnerLookup lookup(SocketOwners owners, long... inodes) throws IOException {
    SocketOwners.Lookup lookup = owners.begin();
    for (long inode : inodes) {
      lookup.owner(inode);
    }
    return lookup.finish();
  }

  /** The inodes {@code first}, {@code first + 1}, ..., {@code count} of them. */
  private static long[] consecutive(long first, int count) {
    return LongStream.range(first, first + count).toArray();
  }

  @Nested
  class Walking {

    @Test
    void findsTheProcessOfEachSocketInode() throws IOException {
      proc.process(10, "sshd", 100, 501, 502).process(20, "pe-echo", 200, 601);

      OwnerLookup lookup = lookup(501L, 502L, 601L);

      assertThat(render(lookup))
          .isEqualTo(
              """
              501 10 sshd
              502 10 sshd
              601 20 pe-echo
              """);
      assertThat(lookup.stats().walks()).isEqualTo(1);
    }

    @Test
    void readsInodesOfThirtyTwoBitsUnsigned() throws IOException {
      long high = 0xffff_fff0L; // negative as an int
      proc.process(10, "sshd", 100, high, high + 1);

      OwnerLookup walked = lookup(high, high + 1);
      OwnerLookup cached = lookup(high + 1, high);

      assertThat(render(walked)).isEqualTo(high + " 10 sshd\n" + (high + 1) + " 10 sshd\n");
      assertThat(render(cached)).isEqualTo(render(walked));
      assertThat(cached.owner(high).name()).isEqualTo("sshd");
      assertThat(cached.stats().cacheHits()).isEqualTo(2);
    }

    @Test
    void givesASharedSocketToTheLowestPid() throws IOException {
      proc.process(30, "worker", 300, 501).process(7, "master", 70, 501);

      assertThat(render(lookup(501L))).isEqualTo("501 7 master\n");
    }

    @Test
    void stopsWalkingOnceEveryNewInodeIsFound() throws IOException {
      proc.process(10, "a", 100, 501).process(20, "b", 200, 502).process(30, "c", 300, 503);

      lookup(501L, 502L);

      assertThat(source.fdReads).containsExactly(10, 20);
    }

    @Test
    void walksTheProcessesThatOpenedMostNewSocketsLastTimeFirst() throws IOException {
      proc.process(10, "a", 100, 501)
          .process(20, "b", 200, 502)
          .process(30, "proxy", 300, 503, 505);
      lookup(501L, 502L, 503L, 505L);
      proc.process(30, "proxy", 300, 503, 504);
      source.fdReads.clear();

      OwnerLookup lookup = lookup(501L, 502L, 503L, 504L);

      assertThat(source.fdReads).containsExactly(30);
      assertThat(render(lookup))
          .isEqualTo(
              """
              501 10 a
              502 20 b
              503 30 proxy
              504 30 proxy
              """);
    }

    @Test
    void readsProcessesWhoseOpenFilesChangedBeforeUnchangedOnes() throws IOException {
      proc.process(5, "big", 50, 401).process(30, "idle", 300, 701);
      source.fdCounts.put(5, 20_000L);
      source.fdCounts.put(30, 3L);
      lookup(999L); // held by no one: both are read, and their counts noted
      proc.process(40, "new", 400, 801);
      source.fdCounts.put(40, 4L);
      source.fdReads.clear();

      assertThat(render(lookup(801L))).isEqualTo("801 40 new\n");
      assertThat(source.fdReads).containsExactly(40);
    }

    /** Process 5 holding 20,000 files and process 30 holding 3, read by a first walk. */
    private void bigAndIdleProcessesWalked() throws IOException {
      proc.process(5, "big", 50, 401).process(30, "idle", 300, 701);
      source.fdCounts.put(5, 20_000L);
      source.fdCounts.put(30, 3L);
      lookup(401L, 701L);
    }

    @Test
    void readsAnUnchangedProcessThatLostASocketOfTheLastTable() throws IOException {
      bigAndIdleProcessesWalked();
      proc.process(5, "big", 50, 402); // closed one socket, opened another: same count
      source.fdReads.clear();

      assertThat(render(lookup(402L, 701L))).isEqualTo("402 5 big\n701 30 idle\n");
      assertThat(source.fdReads).containsExactly(5);
    }

    @Test
    void readsTheOtherUnchangedProcessesOnlyForASocketStillThereNextTime() throws IOException {
      bigAndIdleProcessesWalked();
      proc.process(30, "idle", 300, 701, 702); // closed a file, opened a socket: same count
      source.fdReads.clear();

      OwnerLookup gone = lookup(401L, 701L, 998L); // another program's, closed by the walk
      assertThat(source.fdReads).isEmpty();
      assertThat(owners(gone).containsKey(998L)).isFalse();
      assertThat(lookup(401L, 701L).stats().walks()).as("998 is forgotten").isEqualTo(2);

      lookup(401L, 701L, 702L);
      assertThat(source.fdReads).isEmpty();
      OwnerLookup again = lookup(401L, 701L, 702L);

      assertThat(source.fdReads).containsExactly(5, 30);
      assertThat(again.owner(702L).name()).isEqualTo("idle");
    }

    @Test
    void findsOwnersWhateverOrderAndGapsTheTablesComeIn() throws IOException {
      proc.process(10, "a", 100, 501, 502, 503, 504).process(20, "b", 200, 601, 602);
      lookup(501L, 601L, 502L, 602L, 503L, 504L);
      source.fdReads.clear();

      // 502 went, 0 (no inode) and the known ones in another order: all from the cache.
      OwnerLookup lookup = lookup(601L, 0L, 501L, 503L, 602L, 504L);

      assertThat(source.fdReads).isEmpty();
      assertThat(lookup.byIndex())
          .extracting(owner -> owner == null ? "-" : owner.name())
          .startsWith("b", "-", "a", "a", "b", "a");
      assertThat(lookup.stats().cacheHits()).isEqualTo(5);
    }

    @Test
    void givesASharedSocketToTheLowestPidWhenTwoProcessesAreReadAtOnce() throws IOException {
      long[] first = new long[700];
      long[] second = new long[700];
      long[] all = new long[1_400];
      for (int i = 0; i < 700; i++) {
        first[i] = 10_000 + i;
        second[i] = 20_000 + i;
        all[i] = first[i];
        all[700 + i] = second[i];
      }
      second[0] = first[0]; // shared, e.g. inherited by a child
      proc.process(30, "child", 300, second).process(7, "parent", 70, first);

      OwnerLookup lookup = lookup(all);

      assertThat(owners(lookup).get(10_000L).pid()).isEqualTo(7);
      assertThat(owners(lookup).get(10_001L).pid()).isEqualTo(7);
      assertThat(owners(lookup).get(20_001L).pid()).isEqualTo(30);
      assertThat(owners(lookup).size()).isEqualTo(1_399);
      assertThat(source.fdReads).containsExactlyInAnyOrder(7, 30);
    }

    @Test
    void readsOneProcessAtATimeWhenARecentOwnerHoldsManyNewSockets() throws IOException {
      long[] held = consecutive(10_000, 1_500);
      proc.process(20, "churner", 200, 501).process(7, "other", 70, 701);
      lookup(501L); // 20 becomes the recent owner
      proc.process(20, "churner", 200, held);
      source.fdReads.clear();

      assertThat(owners(lookup(held)).size()).isEqualTo(1_500);
      assertThat(source.fdReads).containsExactly(20);
    }

    @Test
    void hasNoCapOnSocketsPerProcess() throws IOException {
      long[] inodes = consecutive(100_000, 10_000);
      proc.process(10, "busy", 100, inodes);

      assertThat(owners(lookup(inodes)).size()).isEqualTo(10_000);
    }
  }

  /** Waits until every one of {@code pids} was read (by the first walk's threads). */
  private void awaitReads(int... pids) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!List.copyOf(source.fdReads).containsAll(Arrays.stream(pids).boxed().toList())) {
      assertThat(System.nanoTime()).as("reads of %s", Arrays.toString(pids)).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Nested
  class FirstWalk {

    @Test
    void findsWhatAWalkAfterTheTableFinds() throws Exception {
      long[] many = consecutive(10_000, 1_200);
      proc.process(30, "worker", 300, 501, 502)
          .process(7, "master", 70, 501) // shared: the lowest pid's
          .process(12, "busy", 120, many)
          .vanished(15)
          .process(20, "secret", 200, 601)
          .process(40, "other", 400, 701); // not in the table
      source.denied = 20;
      long[] table = Arrays.copyOf(many, many.length + 4);
      System.arraycopy(new long[] {501, 502, 601, 999}, 0, table, many.length, 4);
      SocketOwners after = new SocketOwners(source, UnaryOperator.identity());
      OwnerLookup expected = lookup(after, table);

      owners.startFirstWalk();
      OwnerLookup lookup = lookup(table);

      assertThat(render(lookup)).isEqualTo(render(expected));
      assertThat(lookup.owner(501L).name()).isEqualTo("master");
      assertThat(lookup.owner(10_000L).name()).isEqualTo("busy");
      assertThat(owners(lookup).size()).isEqualTo(many.length + 2);
      assertThat(lookup.stats()).isEqualTo(expected.stats());
      assertThat(lookup.stats().denied()).as("read once, counted once").isEqualTo(1);
    }

    @Test
    void readsAgainOnlyTheProcessesWhoseOpenFilesChangedSince() throws Exception {
      proc.process(5, "big", 50, 401).process(30, "idle", 300, 701);
      source.fdCounts.put(5, 20_000L);
      source.fdCounts.put(30, 3L);
      owners.startFirstWalk();
      awaitReads(5, 30);
      proc.process(30, "idle", 300, 701, 702); // opened a socket after the first walk read it
      source.fdCounts.put(30, 4L);
      source.fdReads.clear();

      OwnerLookup lookup = lookup(401L, 701L, 702L);

      assertThat(render(lookup)).isEqualTo("401 5 big\n701 30 idle\n702 30 idle\n");
      assertThat(source.fdReads).containsExactly(30);
      assertThat(lookup.stats().walks()).isEqualTo(1);
    }

    @Test
    void findsASocketThisProcessOpenedAfterTheFirstWalkReadIt() throws Exception {
      source = new RecordingSource(new ProcFsProcessSource(Path.of("/proc")));
      owners = new SocketOwners(source, UnaryOperator.identity());
      int self = (int) ProcessHandle.current().pid();
      try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        owners.startFirstWalk();
        awaitReads(self);
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            Socket server = listener.accept()) {
          assertThat(server.getPort()).isEqualTo(client.getLocalPort());
          List<Long> held = new ArrayList<>();
          new ProcFsProcessSource(Path.of("/proc")).socketInodes(self, held::add);

          OwnerLookup lookup = lookup(held.stream().mapToLong(Long::longValue).toArray());

          assertThat(held).hasSizeGreaterThanOrEqualTo(3);
          assertThat(owners(lookup).size()).isEqualTo(held.size());
          held.forEach(inode -> assertThat(lookup.owner(inode).pid()).isEqualTo(self));
        }
      }
    }

    @Test
    void isLeftWhenNoSocketIsNew() throws Exception {
      proc.process(10, "a", 100, 501);
      owners.startFirstWalk();

      assertThat(lookup(0L).stats().walks()).isZero();
      owners.startFirstWalk(); // once only: the next lookup walks as any later one

      OwnerLookup lookup = lookup(501L);
      assertThat(render(lookup)).isEqualTo("501 10 a\n");
      assertThat(lookup.stats().walks()).isEqualTo(1);
    }
  }

  @Nested
  class SkippedProcesses {

    @Test
    void countsAProcessThatExitedBetweenTheSocketReadAndTheWalk() throws IOException {
      proc.process(10, "a", 100, 501).vanished(15).process(20, "b", 200, 502);

      OwnerLookup lookup = lookup(501L, 502L, 503L);

      assertThat(render(lookup))
          .isEqualTo(
              """
              501 10 a
              502 20 b
              """);
      assertThat(lookup.stats().vanished()).isEqualTo(1);
      assertThat(lookup.stats().denied()).isZero();
    }

    @Test
    void countsAProcessWhoseFdsMayNotBeRead() throws IOException {
      proc.process(10, "a", 100, 501).process(20, "secret", 200, 502);
      source.denied = 20;

      OwnerLookup lookup = lookup(501L, 502L);

      assertThat(render(lookup)).isEqualTo("501 10 a\n");
      assertThat(lookup.stats().denied()).isEqualTo(1);
      assertThat(lookup.stats().vanished()).isZero();
    }
  }

  /** Where an inode is looked for in the last lookup's order before the map is asked. */
  @Nested
  class Order {

    @Test
    void findsAnInodeWhereTheLastLookupHadIt() {
      int[] last = {501, 502, 503};

      assertThat(SocketOwners.positionInLast(last, 3, 502, 1)).isEqualTo(1);
      assertThat(SocketOwners.positionInLast(last, 3, 503, 1)).isEqualTo(2);
      assertThat(SocketOwners.positionInLast(last, 3, 501, 1)).isEqualTo(-1); // behind the cursor
      assertThat(SocketOwners.positionInLast(last, 2, 503, 0)).isEqualTo(-1); // past the count
    }

    @Test
    void looksPastEightSocketsThatWentAndNoFurther() {
      int[] last = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

      assertThat(SocketOwners.positionInLast(last, 10, 8, 0)).isEqualTo(7);
      assertThat(SocketOwners.positionInLast(last, 10, 9, 0)).isEqualTo(-1);
    }

    /**
     * TIME_WAIT sockets have no inode; a host has them in runs (each short connection leaves one).
     * Counted as sockets that went, a run longer than the look-ahead hid every socket after it, and
     * each was looked up in the map instead, every collection (80,005 of 80,021 at 40,000
     * connections once the exporter's own namespace had such a run).
     */
    @Test
    void passesARunOfSocketsWithoutInode() {
      int[] last = new int[5_000];
      last[0] = 501;
      last[4_000] = 502; // after 3,999 sockets without inode
      last[4_001] = 503;

      assertThat(SocketOwners.positionInLast(last, last.length, 502, 1)).isEqualTo(4_000);
    }

    @Test
    void boundsTheScanOfARunWithoutInode() {
      int[] last = new int[10_000];
      last[9_000] = 502;

      assertThat(SocketOwners.positionInLast(last, last.length, 502, 0)).isEqualTo(-1);
    }
  }

  @Nested
  class Cache {

    @Test
    void keepsNoRoomOfALargeTableOnceTheTableIsSmall() throws IOException {
      long[] large = consecutive(100_000, 10_000);
      proc.process(10, "busy", 100, large);
      lookup(large);
      lookup(large);

      // The lookups alternate between two: this one held the first large table.
      OwnerLookup small = lookup(Arrays.copyOf(large, 100));

      assertThat(small.byIndex().length).isLessThan(2_000);
      assertThat(Arrays.copyOf(small.byIndex(), 100))
          .extracting(ProcessInfo::name)
          .containsOnly("busy");
    }

    @Test
    void doesNotWalkWhenNoInodeIsNew() throws IOException {
      proc.process(10, "a", 100, 501, 502).process(20, "b", 200, 601);
      lookup(501L, 502L, 601L);
      source.fdReads.clear();

      OwnerLookup second = lookup(501L, 601L);

      assertThat(source.fdReads).isEmpty();
      assertThat(second.stats().walks()).isEqualTo(1);
      assertThat(second.stats().cacheHits()).isEqualTo(2);
      assertThat(render(second))
          .isEqualTo(
              """
              501 10 a
              601 20 b
              """);
    }

    @Test
    void walksAgainWhenThePidWasReused() throws IOException {
      proc.process(10, "old", 100, 501);
      lookup(501L);
      proc.process(10, "new", 999, 502).process(11, "heir", 300, 501);

      OwnerLookup lookup = lookup(501L);

      assertThat(render(lookup)).isEqualTo("501 11 heir\n");
      assertThat(lookup.stats().walks()).isEqualTo(2);
    }

    @Test
    void followsANameChangedByExec() throws IOException {
      proc.process(10, "sh", 100, 501);
      lookup(501L);
      proc.process(10, "pe-echo", 100, 501);

      OwnerLookup lookup = lookup(501L);

      assertThat(render(lookup)).isEqualTo("501 10 pe-echo\n");
      assertThat(lookup.stats().walks()).isEqualTo(1);
    }

    @Test
    void doesNotSearchAgainForAnUnresolvedInodeUntilANewOneAppears() throws IOException {
      proc.process(10, "a", 100, 501);
      lookup(501L, 999L);
      source.fdReads.clear();

      OwnerLookup quiet = lookup(501L, 999L);
      proc.process(20, "late", 200, 999, 777);
      OwnerLookup busy = lookup(501L, 999L, 777L);

      assertThat(quiet.stats().walks()).isEqualTo(1);
      assertThat(owners(quiet).containsKey(999L)).isFalse();
      assertThat(busy.stats().walks()).isEqualTo(2);
      assertThat(render(busy))
          .isEqualTo(
              """
              501 10 a
              777 20 late
              999 20 late
              """);
    }

    @Test
    void findsInodesFarFromWhereTheLastLookupHadThemWithoutAWalk() throws IOException {
      long[] inodes = consecutive(1_000, 50);
      proc.process(10, "a", 100, inodes);
      lookup(inodes);
      long[] reversed = new long[inodes.length];
      for (int i = 0; i < inodes.length; i++) {
        reversed[i] = inodes[inodes.length - 1 - i];
      }
      source.fdReads.clear();

      OwnerLookup lookup = lookup(reversed);

      assertThat(source.fdReads).isEmpty();
      assertThat(lookup.stats().cacheHits()).isEqualTo(50);
      assertThat(Arrays.copyOf(lookup.byIndex(), 50))
          .extracting(ProcessInfo::name)
          .containsOnly("a");
    }

    @Test
    void answersASocketOneTableMissedFromTheCache() throws IOException {
      proc.process(10, "a", 100, 501, 502);
      lookup(501L, 502L);
      lookup(501L); // a dump may miss a socket while the kernel's hash changes
      source.fdReads.clear();

      OwnerLookup back = lookup(501L, 502L);

      assertThat(source.fdReads).isEmpty();
      assertThat(render(back)).isEqualTo("501 10 a\n502 10 a\n");
    }

    @Test
    void keepsAnsweringFromTheCacheWhileItIsMadeAnewUnderChurn() throws IOException {
      long[] steady = consecutive(1_000, 100);
      proc.process(10, "steady", 100, steady);
      long[] table = Arrays.copyOf(steady, 300);
      // 200 new sockets a lookup, each gone by the next: the cache outgrows the table and is made
      // anew from the current lookup several times over the 40 lookups.
      for (int round = 0; round < 40; round++) {
        long[] fresh = consecutive(100_000 + round * 1_000L, 200);
        proc.process(20, "churner", 200, fresh);
        System.arraycopy(fresh, 0, table, 100, 200);
        OwnerLookup lookup = lookup(table);
        assertThat(Arrays.copyOf(lookup.byIndex(), table.length))
            .as("round %d", round)
            .extracting(ProcessInfo::name)
            .containsOnly("steady", "churner");
      }
      long[] shuffled = new long[steady.length];
      for (int i = 0; i < shuffled.length; i++) {
        shuffled[i] = steady[(i * 37) % steady.length];
      }
      source.fdReads.clear();

      OwnerLookup lookup = lookup(shuffled);

      assertThat(source.fdReads).isEmpty();
      assertThat(lookup.stats().cacheHits()).isEqualTo(100);
    }

    @Test
    void forgetsSocketsThatAreGone() throws IOException {
      proc.process(10, "a", 100, 501);
      lookup(501L);

      assertThat(owners(lookup()).size()).isZero();
      proc.remove(10);
      assertThat(owners(lookup(501L)).size()).isZero();
    }
  }

  /** Records which processes' fds were read; can deny one. */
  private static final class RecordingSource implements ProcessSource {
    private final ProcessSource delegate;
    final List<Integer> fdReads = Collections.synchronizedList(new ArrayList<>());
    final Map<Integer, Long> fdCounts = new ConcurrentHashMap<>();
    int denied = -1;

    RecordingSource(ProcessSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public int[] pids() throws IOException {
      return delegate.pids();
    }

    @Override
    public void socketInodes(int pid, LongConsumer inodes) throws IOException {
      fdReads.add(pid);
      if (pid == denied) {
        throw new AccessDeniedException("/proc/" + pid + "/fd");
      }
      delegate.socketInodes(pid, inodes);
    }

    /**
     * The count set in {@link #fdCounts}, else the delegate's (-1 for a tree that is not procfs).
     */
    @Override
    public long fdCount(int pid) throws IOException {
      Long count = fdCounts.get(pid);
      return count != null ? count : delegate.fdCount(pid);
    }

    @Override
    public long startTime(int pid) throws IOException {
      return delegate.startTime(pid);
    }

    @Override
    public String name(int pid) throws IOException {
      return delegate.name(pid);
    }

    @Override
    public String cgroup(int pid) throws IOException {
      return delegate.cgroup(pid);
    }

    @Override
    public long netNamespace(int pid) throws IOException {
      return delegate.netNamespace(pid);
    }

    @Override
    public long ownNetNamespace() throws IOException {
      return delegate.ownNetNamespace();
    }
  }
}
