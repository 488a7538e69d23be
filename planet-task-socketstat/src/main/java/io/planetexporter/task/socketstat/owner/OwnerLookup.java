package io.planetexporter.task.socketstat.owner;

import io.planetexporter.task.socketstat.table.SlotIndex;
import java.util.Arrays;

/**
 * The result of one {@link SocketOwners#lookup}, a view of its cache: read it before the next
 * lookup but one.
 *
 * <p>Its {@link #byIndex} array gives the process of each inode looked up, at its index, null where
 * none was found; {@link #owner} the same by inode, through an index made when first asked.
 */
public final class OwnerLookup {
  /**
   * The inodes looked up, read unsigned: the kernel's are 32 bits, and 80,000 longs 320 KB more.
   */
  int[] inodes = new int[0];

  ProcessInfo[] byIndex = new ProcessInfo[0];
  int count;

  /**
   * The index of each inode that has an owner, by the inode: an {@code int} per entry, the inodes
   * it compares being in {@link #inodes}, where a map of inodes to owners beside the lookups cost
   * three times as much (1.5 MB at 80,000 sockets).
   */
  private final SlotIndex index = new SlotIndex(at -> Integer.toUnsignedLong(inodes[at]));

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

  /**
   * The process of an inode that was looked up, or null. Inode 0 (a socket no file holds, as every
   * destroy event of a closed socket says) has none: asked for it, no index is made.
   */
  public ProcessInfo owner(long inode) {
    int at = indexOf(inode);
    return at < 0 ? null : byIndex[at];
  }

  /** The index of an inode that was looked up and has an owner, or -1. */
  int indexOf(long inode) {
    if (inode == 0 || inode != (inode & 0xFFFF_FFFFL)) {
      return -1;
    }
    if (!indexed) {
      buildIndex();
    }
    return index.find(inode);
  }

  /**
   * Takes the index's room from the lookup before, which gives it up: of the two lookups a cache
   * keeps, only the last is asked by inode, and a new array for each would be a collection's
   * garbage as large as the table.
   */
  void takeIndexRoom(OwnerLookup before) {
    index.takeRoom(before.index);
    before.indexed = false;
    indexed = false;
  }

  private void buildIndex() {
    index.clear(count);
    for (int at = 0; at < count; at++) {
      if (byIndex[at] != null && inodes[at] != 0) {
        index.addIfAbsent(at); // a socket the dump listed twice keeps its first place
      }
    }
    indexed = true;
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
