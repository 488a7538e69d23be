package io.planetexporter.task.socketstat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Finds the process holding each socket inode, remembering the answers across collections.
 *
 * <p>An owner found once stays cached while its socket exists and its process runs: each collection
 * re-reads only the start time and name of the distinct owning processes (a changed start time
 * means the pid was reused). Only inodes never seen before make it walk {@code /proc/<pid>/fd}, in
 * ascending pid order (so a socket shared by several processes goes to the lowest pid) and only
 * until every new inode is found. Inodes that a walk could not attribute (their process exited or
 * may not be read) are not searched for again unless a later walk, made for new inodes, comes
 * across them.
 *
 * <p>Not thread-safe: one collection at a time.
 */
final class SocketOwners {

  private static final Logger logger = Logger.getLogger(SocketOwners.class.getName());

  /** Marks a cached owner whose process exited or was replaced. */
  private static final ProcessInfo GONE = new ProcessInfo(0, 0, "");

  private final ProcessSource processes;
  private Map<Long, ProcessInfo> owners = new HashMap<>();
  private Set<Long> unresolved = new HashSet<>();
  private long walks;

  SocketOwners(ProcessSource processes) {
    this.processes = processes;
  }

  /** The owners of {@code inodes} (each non-zero) that could be found. */
  Lookup lookup(Set<Long> inodes) throws IOException {
    Map<Long, ProcessInfo> found = new HashMap<>(inodes.size() * 2);
    Set<Long> wanted = new HashSet<>();
    Set<Long> stillUnresolved = new HashSet<>();
    Map<ProcessInfo, ProcessInfo> revalidated = new HashMap<>();
    int cacheHits = 0;
    for (Long inode : inodes) {
      ProcessInfo cached = owners.get(inode);
      if (cached != null) {
        ProcessInfo current = revalidated.computeIfAbsent(cached, this::revalidate);
        if (current != GONE) {
          found.put(inode, current);
          cacheHits++;
          continue;
        }
      }
      if (unresolved.contains(inode)) {
        stillUnresolved.add(inode);
      } else {
        wanted.add(inode);
      }
    }
    Skipped skipped = new Skipped();
    if (!wanted.isEmpty()) {
      walk(wanted, stillUnresolved, found, skipped);
    }
    owners = found;
    unresolved = stillUnresolved;
    return new Lookup(
        Collections.unmodifiableMap(found),
        new Stats(cacheHits, walks, skipped.vanished, skipped.denied, skipped.failed));
  }

  /** The cached process as it is now (its name may have changed), or GONE. */
  private ProcessInfo revalidate(ProcessInfo cached) {
    try {
      if (processes.startTime(cached.pid()) != cached.startTime()) {
        return GONE;
      }
      return new ProcessInfo(cached.pid(), cached.startTime(), processes.name(cached.pid()));
    } catch (IOException ignored) {
      return GONE;
    }
  }

  /**
   * Walks fds in pid order until every wanted inode is found, taking along any still unresolved
   * inode met on the way. Wanted inodes not found join the unresolved ones.
   */
  private void walk(
      Set<Long> wanted, Set<Long> orphans, Map<Long, ProcessInfo> found, Skipped skipped)
      throws IOException {
    walks++;
    int remaining = wanted.size();
    for (int pid : processes.pids()) {
      Set<Long> held = new HashSet<>();
      try {
        processes.socketInodes(
            pid,
            inode -> {
              if ((wanted.contains(inode) || orphans.contains(inode))
                  && !found.containsKey(inode)) {
                held.add(inode);
              }
            });
        if (!held.isEmpty()) {
          ProcessInfo owner = new ProcessInfo(pid, processes.startTime(pid), processes.name(pid));
          for (Long inode : held) {
            found.put(inode, owner);
            if (wanted.contains(inode)) {
              remaining--;
            }
            orphans.remove(inode);
          }
        }
      } catch (NoSuchFileException e) {
        skipped.vanished++;
      } catch (AccessDeniedException e) {
        skipped.denied++;
      } catch (IOException e) {
        skipped.failed++;
        logger.log(Level.FINE, "cannot read the fds of process " + pid, e);
      }
      if (remaining == 0) {
        return;
      }
    }
    for (Long inode : wanted) {
      if (!found.containsKey(inode)) {
        orphans.add(inode);
      }
    }
  }

  private static final class Skipped {
    int vanished;
    int denied;
    int failed;
  }

  /**
   * The result of one lookup.
   *
   * @param owners the process of each inode that was found (a view of the cache: read it before the
   *     next lookup)
   * @param stats how they were found
   */
  record Lookup(Map<Long, ProcessInfo> owners, Stats stats) {}

  /**
   * How one lookup went.
   *
   * @param cacheHits inodes answered from the cache
   * @param walks walks of {@code /proc/<pid>/fd} since this object was made
   * @param vanished processes skipped because they exited during the walk
   * @param denied processes skipped because their fds may not be read
   * @param failed processes skipped for any other read error
   */
  record Stats(int cacheHits, long walks, int vanished, int denied, int failed) {}
}
