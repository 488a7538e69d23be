package io.planetexporter.task.socketstat.owner;

import io.planetexporter.net.LongMap;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Finds the process holding each socket inode, remembering the answers across collections.
 *
 * <p>An owner found once stays cached while its socket exists and its process runs: each collection
 * re-reads only the start time, name and cgroup of the distinct owning processes (a changed start
 * time means the pid was reused). Only inodes never seen before make it walk {@code
 * /proc/<pid>/fd}, and only until every new inode is found: first the processes whose number of
 * open files changed since a walk last read them (or cannot be told), then those whose number did
 * not change but that lost a socket of the last table (a pool that replaced a connection); within
 * each group first the processes that owned new sockets in the last walks (under churn, new
 * connections come from the same few processes), then the others in ascending pid order (so a
 * socket shared by several processes when first seen goes to the lowest pid, unless one of them
 * recently opened sockets or changed its files). Any other process holds a new socket only if it
 * closed a file that is not a socket of the table: it is read for an inode only once that inode is
 * still there at the next collection. Most inodes that the first groups do not hold are gone
 * already (another program's short connections, every collection on a busy host), and reading every
 * process for them cost such a collection the fds of the whole host, some 80,000 {@code readlink}s
 * at 40,000 connections (BENCHMARKS.md). Inodes that a walk of every process could not attribute
 * (their process exited or may not be read) are not searched for again unless a later walk, made
 * for new inodes, comes across them.
 *
 * <p>Not thread-safe: one collection at a time. (Longer than most classes here: the cache, the
 * order it follows and the walk share one lookup's maps; reading the fds is {@link FdReads}'s.)
 */
public final class SocketOwners {

  private static final Logger logger = Logger.getLogger(SocketOwners.class.getName());

  /** Marks a cached owner whose process exited or was replaced. */
  private static final ProcessInfo GONE = new ProcessInfo(0, 0, "");

  private static final int RECENT_OWNERS = 16;

  /** New inodes from which a walk without recent owners has another thread read ahead (FdReads). */
  private static final int PARALLEL_WALK = 1_000;

  /**
   * Threads that read the first walk while the tables are read: the caller waits on the kernel's
   * dumps meanwhile, and a host has two cores or more.
   */
  private static final int FIRST_WALK_READERS = 2;

  /** How far past sockets that went an inode is looked for in the last lookup's order. */
  private static final int LOOK_AHEAD = 8;

  /**
   * How far past sockets without an inode: so that a socket not in the last lookup, met before a
   * long run of them, costs a bounded scan (the run is passed once the next socket is found).
   */
  private static final int MAX_SCAN = 4_096;

  private final ProcessSource processes;
  private final UnaryOperator<Workload> naming;

  /**
   * The last lookup: its inodes in their order and the owner found for each. The kernel lists an
   * unchanged table in the same order, so a lookup mostly finds each inode where the last one had
   * it and reads these arrays in sequence; only an inode that moved (a socket that is new, or was
   * listed elsewhere) is looked up by hash, in the last lookup's index of its inodes ({@link
   * OwnerLookup#owner}: a cache miss or more per socket in an index of tens of thousands, which a
   * steady table never pays). An owner there may be out of date (a renamed process): it is
   * revalidated, once per process and lookup.
   */
  private OwnerLookup last = new OwnerLookup();

  /**
   * The sockets of the lookup before {@link #last} that it did not have, with their owners: mostly
   * closed, but a dump may miss a socket while the kernel's hash changes, and its owner is then
   * still known when the next table lists it. As large as a collection's churn.
   */
  private LongMap<ProcessInfo> missedByLast = new LongMap<>(0);

  /** The places of {@link #last} the current lookup found again. */
  private final BitSet foundInLast = new BitSet();

  /**
   * The lookup before {@link #last}, whose arrays and map the next lookup fills again: new ones as
   * large as the table every collection would be promoted and collected by a full GC.
   */
  private OwnerLookup spare = new OwnerLookup();

  private LongMap<Boolean> unresolved = new LongMap<>(0);

  /**
   * New inodes the last walk did not find without reading the processes whose files did not change:
   * if still in the table, the next walk reads those too.
   */
  private LongMap<Boolean> deferred = new LongMap<>(0);

  private long walks;

  /**
   * The number of open files of each process when a walk last read its fds, so that a walk reads
   * first the processes whose files changed since: a process holding tens of thousands of unchanged
   * sockets is then read only when nothing else holds the new ones.
   */
  private final Map<Integer, Long> walkedFdCounts = new HashMap<>();

  /** Pids that owned new sockets in recent walks, the most recent first. */
  private int[] recentOwners = new int[0];

  /** The walk {@link #startFirstWalk} started, until a lookup takes it; else null. */
  private FirstWalk firstWalk;

  private boolean firstWalkStarted;

  /**
   * @param naming adds a container's workload name to what a process's cgroup says (the runtimes'
   *     state files; cached there, asked once per process per collection)
   */
  public SocketOwners(ProcessSource processes, UnaryOperator<Workload> naming) {
    this.processes = processes;
    this.naming = naming;
  }

  /**
   * Starts reading the socket inodes of every process on other threads, once, before the first
   * lookup: that lookup wants the owner of every socket and would read the fds of every process
   * after the tables, some 80,000 {@code readlink}s at 40,000 connections, where this reads them
   * while the caller reads the tables (the kernel's dumps, most of it in another namespace's
   * thread). The first lookup takes these reads as its walk's first part, then reads again the
   * processes whose number of open files changed since (or cannot be told), which holds any socket
   * opened meanwhile; the processes whose number did not change are not read again. So a socket
   * opened meanwhile by a process that also closed another file, keeping its count, is taken for
   * one whose process could not be found, until a later walk comes across it (the rule later walks
   * follow too, see the class comment).
   */
  public void startFirstWalk() {
    if (firstWalkStarted) {
      return;
    }
    firstWalkStarted = true;
    Map<Integer, Long> fdCounts = new HashMap<>();
    int[] order;
    try {
      order = walkOrder(processes.pids(), fdCounts).pids;
    } catch (IOException e) {
      // The lookup walks as it would without this, and says what failed.
      logger.log(Level.FINE, "cannot list the processes ahead of the first walk", e);
      return;
    }
    firstWalk =
        new FirstWalk(FdReads.start(processes, order, inode -> true, FIRST_WALK_READERS), fdCounts);
  }

  /**
   * A walk started before the first table was read.
   *
   * @param fdCounts the number of open files of each process as the walk began
   */
  private record FirstWalk(FdReads reads, Map<Integer, Long> fdCounts) {}

  /**
   * Starts a lookup: give it each socket's inode as the tables are read ({@link Lookup#owner}),
   * then {@link Lookup#finish} it. Sockets whose owner the cache knows need nothing more, so a
   * collection classifies them as they are decoded and holds no table of them (RSS); only the
   * others wait for the walk that finish makes. One lookup at a time: a new one drops the last
   * unfinished one.
   */
  public Lookup begin() {
    return new Lookup(spare);
  }

  /** One collection's lookup, as its sockets come. */
  public final class Lookup {
    private final OwnerLookup found;
    private final LongMap<Boolean> wanted = new LongMap<>(0);
    private final LongMap<Boolean> orphans = new LongMap<>(0);

    // By identity: the cache holds one ProcessInfo per process, shared by its sockets, so this
    // costs no record hash per socket (an equal copy would merely be revalidated twice).
    private final Map<ProcessInfo, ProcessInfo> revalidated = new IdentityHashMap<>();

    // Made once: a method reference written in the loop is a new object each time it is reached,
    // which with the sockets of several processes interleaved is nearly every socket.
    private final Function<ProcessInfo, ProcessInfo> revalidation = SocketOwners.this::revalidate;
    private ProcessInfo lastCached;
    private ProcessInfo lastCurrent;
    private int cacheHits;
    private int cursor;

    private Lookup(OwnerLookup found) {
      this.found = found;
      found.reset();
      foundInLast.clear();
    }

    /** The index the next socket given to {@link #owner} gets in {@link OwnerLookup#byIndex}. */
    public int count() {
      return found.count;
    }

    /**
     * Takes the next socket's inode (below 2^32, as the kernel's; 0 for a socket no file holds).
     *
     * @return its owner if the cache knows it now, else null: then {@link #finish} looks for it
     *     unless its inode is 0
     */
    public ProcessInfo owner(long inode) {
      int i = found.add((int) inode);
      if (inode == 0) {
        return null;
      }
      int at = positionInLast(last.inodes, last.count, (int) inode, cursor);
      ProcessInfo cached;
      if (at >= 0) {
        cursor = at + 1;
      } else {
        at = last.indexOf(inode);
      }
      if (at >= 0) {
        cached = last.byIndex[at];
        foundInLast.set(at);
      } else {
        cached = missedByLast.get(inode);
      }
      if (cached != null) {
        if (cached != lastCached) {
          lastCached = cached;
          lastCurrent = revalidated.computeIfAbsent(cached, revalidation);
        }
        if (lastCurrent != GONE) {
          found.byIndex[i] = lastCurrent;
          cacheHits++;
          return lastCurrent;
        }
      }
      (unresolved.containsKey(inode) ? orphans : wanted).put(inode, Boolean.TRUE);
      return null;
    }

    /**
     * Whether {@link #finish} walks for {@code inode}, given to {@link #owner} without an answer:
     * it is new, not one that a walk of every process could not attribute before (a kernel socket,
     * a process in another PID namespace), which a walk only takes along if it meets it.
     */
    public boolean looksFor(long inode) {
      return wanted.containsKey(inode);
    }

    /** Walks for the inodes the cache did not know: the owners of every socket given. */
    public OwnerLookup finish() throws IOException {
      ProcessInfo[] byIndex = found.byIndex;
      int[] inodes = found.inodes;
      int count = found.count;
      Skipped skipped = new Skipped();
      // Only inodes the cache does not answer are walked for, so these maps never meet a cache hit.
      LongMap<ProcessInfo> walked = new LongMap<>(0);
      boolean everyProcess = true;
      if (wanted.size() > 0) {
        everyProcess = walk(wanted, orphans, walked, skipped, inodes, count);
      } else if (firstWalk != null) {
        firstWalk.reads().close();
        firstWalk = null;
      }
      LongMap<Boolean> stillUnresolved = new LongMap<>(0);
      LongMap<Boolean> nowDeferred = new LongMap<>(0);
      LongMap<Boolean> unfoundWanted = everyProcess ? stillUnresolved : nowDeferred;
      wanted.forEachKey(
          inode -> {
            if (!walked.containsKey(inode)) {
              unfoundWanted.put(inode, Boolean.TRUE);
            }
          });
      orphans.forEachKey(
          inode -> {
            if (!walked.containsKey(inode)) {
              stillUnresolved.put(inode, Boolean.TRUE);
            }
          });
      if (walked.size() > 0) {
        for (int i = 0; i < count; i++) {
          if (byIndex[i] == null && inodes[i] != 0) {
            ProcessInfo owner = walked.get(Integer.toUnsignedLong(inodes[i]));
            if (owner != null) {
              byIndex[i] = owner;
            }
          }
        }
      }
      unresolved = stillUnresolved;
      deferred = nowDeferred;
      LongMap<ProcessInfo> missed = new LongMap<>(0);
      for (int i = foundInLast.nextClearBit(0);
          i < last.count;
          i = foundInLast.nextClearBit(i + 1)) {
        if (last.byIndex[i] != null) {
          missed.put(Integer.toUnsignedLong(last.inodes[i]), last.byIndex[i]);
        }
      }
      missedByLast = missed;
      found.fit();
      found.takeIndexRoom(last);
      spare = last;
      last = found;
      found.stats =
          new OwnerLookup.Stats(cacheHits, walks, skipped.vanished, skipped.denied, skipped.failed);
      return found;
    }
  }

  /**
   * Where {@code inode} was in the last lookup ({@code lastInodes}, the first {@code lastCount}),
   * looking from {@code cursor} past a few sockets that went since, or -1. Sockets without an inode
   * ({@code TIME_WAIT}, which every host has in runs) are skipped without counting: the cursor
   * moves only past sockets found, so counted, a run of them longer than the look-ahead would hide
   * every socket after it and send each to the map, every collection.
   */
  static int positionInLast(int[] lastInodes, int lastCount, int inode, int cursor) {
    int others = 0;
    int end = Math.min(lastCount, cursor + MAX_SCAN);
    for (int at = cursor; at < end && others < LOOK_AHEAD; at++) {
      int candidate = lastInodes[at];
      if (candidate == inode) {
        return at;
      }
      if (candidate != 0) {
        others++;
      }
    }
    return -1;
  }

  /** The cached process as it is now (its name may have changed), or GONE. */
  private ProcessInfo revalidate(ProcessInfo cached) {
    try {
      if (processes.startTime(cached.pid()) != cached.startTime()) {
        return GONE;
      }
      return describe(cached.pid(), cached.startTime());
    } catch (IOException ignored) {
      return GONE;
    }
  }

  /** The process as it is now: its name and workload may have changed since it was cached. */
  private ProcessInfo describe(int pid, long startTime) throws IOException {
    String name = processes.name(pid);
    Workload workload;
    try {
      workload = naming.apply(Workload.parse(processes.cgroup(pid)));
    } catch (IOException e) {
      // Only a process exiting right now has no cgroup file; its name is still worth keeping.
      logger.log(Level.FINE, "cannot read the cgroup of process " + pid, e);
      workload = Workload.NONE;
    }
    return new ProcessInfo(pid, startTime, name, workload);
  }

  /**
   * Walks fds in the order above until every wanted inode is found, taking along any unresolved
   * inode (orphan) met on the way.
   *
   * @param inodes the table's inodes, the first {@code count} (to tell which sockets of the last
   *     table are gone)
   * @return whether every process was read if needed; false when the processes whose files did not
   *     change were left out for inodes seen for the first time
   */
  private boolean walk(
      LongMap<Boolean> wanted,
      LongMap<Boolean> orphans,
      LongMap<ProcessInfo> found,
      Skipped skipped,
      int[] inodes,
      int count)
      throws IOException {
    walks++;
    Walk walk = new Walk(wanted, orphans, found, skipped);
    boolean everyProcessRead = firstWalk != null;
    try {
      if (firstWalk != null) {
        // Read before the table: a process that opened a socket since has more open files now,
        // unless it also closed one (see startFirstWalk), so the walk goes on with those below.
        try (FdReads reads = firstWalk.reads()) {
          walk.take(reads, firstWalk.fdCounts());
        }
        firstWalk = null;
        if (walk.remaining == 0) {
          return true;
        }
      }
      Map<Integer, Long> fdCounts = new HashMap<>();
      WalkOrder order = walkOrder(processes.pids(), fdCounts);
      int[] first =
          Arrays.stream(order.pids, 0, order.unchangedFrom)
              .filter(pid -> !walk.unreadable.contains(pid))
              .toArray();
      walk.read(first, readsEverything(walk.remaining) ? 1 : 0, fdCounts);
      // After the first walk, the processes whose files did not change were read by it.
      if (walk.remaining == 0 || order.unchangedFrom == order.pids.length || everyProcessRead) {
        return true;
      }
      int[] unchanged = Arrays.copyOfRange(order.pids, order.unchangedFrom, order.pids.length);
      boolean insist = false;
      for (long inode : walk.unfound()) {
        insist |= deferred.containsKey(inode);
      }
      if (!insist) {
        unchanged = lostSockets(unchanged, inodes, count);
      }
      walk.read(unchanged, 0, fdCounts);
      return insist;
    } finally {
      rememberOwners(walk.newOwners.busiestFirst());
    }
  }

  /**
   * The ones of {@code pids} that held a socket of the last lookup that is not among the first
   * {@code count} of {@code inodes}.
   */
  private int[] lostSockets(int[] pids, int[] inodes, int count) {
    LongMap<Boolean> present = new LongMap<>(count);
    for (int i = 0; i < count; i++) {
      present.put(Integer.toUnsignedLong(inodes[i]), Boolean.TRUE);
    }
    Set<Integer> lost = new HashSet<>();
    for (int i = 0; i < last.count; i++) {
      if (last.byIndex[i] != null && !present.containsKey(Integer.toUnsignedLong(last.inodes[i]))) {
        lost.add(last.byIndex[i].pid());
      }
    }
    return Arrays.stream(pids).filter(lost::contains).toArray();
  }

  /** One walk: what it looks for, and what it found so far. */
  private final class Walk {
    final LongMap<Boolean> wanted;
    final LongMap<Boolean> orphans;
    final LongMap<ProcessInfo> found;
    final Skipped skipped;
    final NewOwners newOwners = new NewOwners();

    /** Processes whose fds this walk could not read: not tried twice (once counted). */
    final Set<Integer> unreadable = new HashSet<>();

    int remaining;

    Walk(
        LongMap<Boolean> wanted,
        LongMap<Boolean> orphans,
        LongMap<ProcessInfo> found,
        Skipped skipped) {
      this.wanted = wanted;
      this.orphans = orphans;
      this.found = found;
      this.skipped = skipped;
      this.remaining = wanted.size();
    }

    /**
     * Reads the fds of {@code order} until every wanted inode is found.
     *
     * @param readers how many other threads read ahead (FdReads)
     */
    void read(int[] order, int readers, Map<Integer, Long> fdCounts) throws IOException {
      try (FdReads reads =
          FdReads.start(
              processes,
              order,
              inode -> wanted.containsKey(inode) || orphans.containsKey(inode),
              readers)) {
        take(reads, fdCounts);
      }
    }

    /** Takes reads until every wanted inode is found. */
    void take(FdReads reads, Map<Integer, Long> fdCounts) throws IOException {
      while (reads.hasNext() && remaining > 0) {
        take(reads.next(), fdCounts);
      }
    }

    private void take(FdReads.Read read, Map<Integer, Long> fdCounts) throws IOException {
      int pid = read.pid;
      try {
        if (read.failure != null) {
          throw read.failure;
        }
        Long fdCount = fdCounts.get(pid);
        if (fdCount != null) {
          walkedFdCounts.put(pid, fdCount);
        }
        ProcessInfo owner = null;
        int newlyFound = 0;
        for (int i = 0; i < read.count; i++) {
          long inode = read.inodes[i];
          // The first walk reads every socket: only the table's count, and name a process.
          boolean isWanted = wanted.containsKey(inode);
          if ((isWanted || orphans.containsKey(inode))
              && !found.containsKey(inode)) { // an earlier process, or a dup'd fd, came first
            if (owner == null) {
              owner = describe(pid, processes.startTime(pid));
            }
            found.put(inode, owner);
            if (isWanted) {
              newlyFound++;
            }
          }
        }
        remaining -= newlyFound;
        newOwners.add(pid, newlyFound);
      } catch (NoSuchFileException e) {
        skipped.vanished++;
        unreadable.add(pid);
      } catch (AccessDeniedException e) {
        skipped.denied++;
        unreadable.add(pid);
      } catch (InterruptedIOException e) {
        throw e;
      } catch (IOException e) {
        skipped.failed++;
        unreadable.add(pid);
        logger.log(Level.FINE, "cannot read the fds of process " + pid, e);
      }
    }

    /** The wanted inodes not found yet. */
    List<Long> unfound() {
      List<Long> unfound = new ArrayList<>();
      wanted.forEachKey(
          inode -> {
            if (!found.containsKey(inode)) {
              unfound.add(inode);
            }
          });
      return unfound;
    }
  }

  /**
   * Whether a walk for {@code wanted} new inodes is likely to read every process, so that another
   * thread reading ahead is not wasted: many new inodes and no recent owner to find them in (the
   * first collection). Under churn the recent owners hold the new sockets, and the walk stops after
   * them.
   */
  private boolean readsEverything(int wanted) {
    return wanted >= PARALLEL_WALK && recentOwners.length == 0;
  }

  /**
   * The recent owners that still exist, then the other pids, first those whose number of open files
   * changed since a walk last read them (or cannot be told), then the others; the recent owners in
   * their order, the rest ascending.
   *
   * @param fdCounts gets the number of open files of each process that has a known one
   */
  private WalkOrder walkOrder(int[] pids, Map<Integer, Long> fdCounts) {
    walkedFdCounts.keySet().removeIf(pid -> Arrays.binarySearch(pids, pid) < 0);
    int[] changed = new int[pids.length];
    int[] unchanged = new int[pids.length];
    int changedCount = 0;
    int unchangedCount = 0;
    int[] recent =
        Arrays.stream(recentOwners).filter(pid -> Arrays.binarySearch(pids, pid) >= 0).toArray();
    int[] others =
        Arrays.stream(pids).filter(pid -> !contains(recent, recent.length, pid)).toArray();
    for (int[] group : new int[][] {recent, others}) {
      for (int pid : group) {
        long fdCount = fdCount(pid);
        if (fdCount >= 0) {
          fdCounts.put(pid, fdCount);
        }
        if (fdCount >= 0 && Long.valueOf(fdCount).equals(walkedFdCounts.get(pid))) {
          unchanged[unchangedCount++] = pid;
        } else {
          changed[changedCount++] = pid;
        }
      }
    }
    int[] order = Arrays.copyOf(changed, changedCount + unchangedCount);
    System.arraycopy(unchanged, 0, order, changedCount, unchangedCount);
    return new WalkOrder(order, changedCount);
  }

  /**
   * The order of a walk.
   *
   * @param unchangedFrom where the processes whose number of open files did not change begin
   */
  private record WalkOrder(int[] pids, int unchangedFrom) {}

  private long fdCount(int pid) {
    try {
      return processes.fdCount(pid);
    } catch (IOException e) {
      return -1; // exited, or not to be read: the walk finds out
    }
  }

  /** Puts this walk's new owners in front of the older recent ones, keeping at most a few. */
  private void rememberOwners(int[] newOwners) {
    int n = Math.min(newOwners.length, RECENT_OWNERS);
    int[] merged = Arrays.copyOf(newOwners, RECENT_OWNERS);
    for (int pid : recentOwners) {
      if (n < RECENT_OWNERS && !contains(merged, n, pid)) {
        merged[n++] = pid;
      }
    }
    recentOwners = Arrays.copyOf(merged, n);
  }

  private static boolean contains(int[] pids, int length, int pid) {
    for (int i = 0; i < length; i++) {
      if (pids[i] == pid) {
        return true;
      }
    }
    return false;
  }

  /** How many new inodes each process held in one walk. */
  private static final class NewOwners {
    private final Map<Integer, Integer> counts = new HashMap<>();

    /** Counts {@code found} new inodes of a process (once per process read: no box per socket). */
    void add(int pid, int found) {
      if (found > 0) {
        counts.merge(pid, found, Integer::sum);
      }
    }

    /** The pids, the one with most new inodes first (ties: lower pid first). */
    int[] busiestFirst() {
      return counts.entrySet().stream()
          .sorted(
              Map.Entry.<Integer, Integer>comparingByValue()
                  .reversed()
                  .thenComparing(Map.Entry.comparingByKey()))
          .mapToInt(Map.Entry::getKey)
          .toArray();
    }
  }

  private static final class Skipped {
    int vanished;
    int denied;
    int failed;
  }
}
