package io.planetexporter.task.socketstat.owner;

import io.planetexporter.net.LongMap;
import java.util.Arrays;

/**
 * The result of one {@link SocketOwners#lookup}, a view of its cache: read it before the next
 * lookup but one.
 *
 * <p>Its {@link #byIndex} array gives the process of each inode looked up, at its index, null where
 * none was found; {@link #owners} the same by inode, in a map made when first asked.
 */
public final class OwnerLookup {
  /**
   * The inodes looked up, read unsigned: the kernel's are 32 bits, and 80,000 longs 320 KB more.
   */
  int[] inodes = new int[0];

  ProcessInfo[] byIndex = new ProcessInfo[0];
  int count;
  private final LongMap<ProcessInfo> byInode = new LongMap<>(0);
  private boolean indexed;
  Stats stats;

  /** Empties it for a new lookup, keeping its arrays. */
  void reset() {
    Arrays.fill(byIndex, 0, count, null);
    count = 0;
    indexed = false;
  }

  /** Appends an inode, without an owner yet; returns its index. */
  int add(int inode) {
    if (count == inodes.length) {
      // By half as much again: these arrays live as long as the table is as large.
      int capacity = Math.max(16, count + (count >> 1));
      inodes = Arrays.copyOf(inodes, capacity);
      byIndex = Arrays.copyOf(byIndex, capacity);
    }
    inodes[count] = inode;
    return count++;
  }

  /**
   * Lets go of room far beyond its count: the first collection's arrays, grown by half again at a
   * time, or those of a table that shrank, live on in the two lookups a cache keeps.
   */
  void fit() {
    if (inodes.length > count + (count >> 2) + 1024) {
      int capacity = count + (count >> 3);
      inodes = Arrays.copyOf(inodes, capacity);
      byIndex = Arrays.copyOf(byIndex, capacity);
    }
  }

  /** The process of each inode looked up, at its index; null where none was found. */
  public ProcessInfo[] byIndex() {
    return byIndex;
  }

  /** The process of each inode that was found. */
  LongMap<ProcessInfo> owners() {
    if (!indexed) {
      byInode.clear();
      for (int i = 0; i < count; i++) {
        if (byIndex[i] != null) {
          byInode.put(Integer.toUnsignedLong(inodes[i]), byIndex[i]);
        }
      }
      indexed = true;
    }
    return byInode;
  }

  /**
   * The process of an inode that was looked up, or null. Inode 0 (a socket no file holds, as every
   * destroy event of a closed socket says) has none: asked for it, no map of every inode is made.
   */
  public ProcessInfo owner(long inode) {
    return inode == 0 ? null : owners().get(inode);
  }

  /** How the owners were found. */
  public Stats stats() {
    return stats;
  }

  /**
   * How one lookup went.
   *
   * @param cacheHits inodes answered from the cache
   * @param walks walks of {@code /proc/<pid>/fd} since this object was made
   * @param vanished processes skipped because they exited during the walk
   * @param denied processes skipped because their fds may not be read
   * @param failed processes skipped for any other read error
   */
  public record Stats(int cacheHits, long walks, int vanished, int denied, int failed) {}
}
