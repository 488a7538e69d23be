package io.planetexporter.task.socketstat.table;

import java.util.Arrays;

/**
 * An index of slots by a {@code long} key that their owner keeps in its own columns (a live
 * connection's cookie, a looked-up socket's inode), by open addressing: an {@code int} per entry
 * and no keys of its own, where a map of tens of thousands of keys would hold each key twice.
 * Removal shifts later entries back (no tombstones). Not thread-safe.
 */
public final class SlotIndex {

  /** No slot: a key not in the index. */
  public static final int NONE = -1;

  private static final int MIN_CAPACITY = 16;

  /** The key of each slot, read from the owner's columns. */
  @FunctionalInterface
  public interface Keys {
    long key(int slot);
  }

  private final Keys keys;

  /** Slot + 1, 0 being an empty entry; empty until the first slot is added. */
  private int[] entries = new int[0];

  private int size;

  /** Whether {@link #entries} still holds entries of keys it no longer indexes. */
  private boolean stale;

  public SlotIndex(Keys keys) {
    this.keys = keys;
  }

  /**
   * The slot whose key is {@code key}, or {@link #NONE}; the first added of slots that share it.
   */
  public int find(long key) {
    if (size == 0) {
      return NONE;
    }
    int mask = entries.length - 1;
    for (int i = home(key, mask); entries[i] != 0; i = (i + 1) & mask) {
      if (keys.key(entries[i] - 1) == key) {
        return entries[i] - 1;
      }
    }
    return NONE;
  }

  /** Adds a slot not in the index, under the key its owner now keeps for it. */
  public void add(int slot) {
    makeRoom();
    insert(slot);
    size++;
  }

  /**
   * Adds a slot unless one with the same key is in the index already (which then keeps its place).
   *
   * @return whether it was added
   */
  public boolean addIfAbsent(int slot) {
    makeRoom();
    long key = keys.key(slot);
    int mask = entries.length - 1;
    int i = home(key, mask);
    for (; entries[i] != 0; i = (i + 1) & mask) {
      if (keys.key(entries[i] - 1) == key) {
        return false;
      }
    }
    entries[i] = slot + 1;
    size++;
    return true;
  }

  /** Makes room for one entry more. */
  private void makeRoom() {
    if (stale) {
      Arrays.fill(entries, 0);
      stale = false;
    }
    if ((size + 1) * 4L > entries.length * 3L) {
      int[] old = entries;
      entries = new int[Math.max(MIN_CAPACITY, old.length * 2)];
      for (int entry : old) {
        if (entry != 0) {
          insert(entry - 1);
        }
      }
    }
  }

  /** Takes out a slot that is in the index, its key still kept by its owner. */
  public void remove(int slot) {
    int mask = entries.length - 1;
    int i = home(keys.key(slot), mask);
    while (entries[i] != slot + 1) {
      i = (i + 1) & mask;
    }
    int gap = i;
    for (int j = (gap + 1) & mask; entries[j] != 0; j = (j + 1) & mask) {
      int home = home(keys.key(entries[j] - 1), mask);
      // Entry j may move to the gap unless its home lies cyclically in (gap, j].
      if (((j - home) & mask) >= ((j - gap) & mask)) {
        entries[gap] = entries[j];
        gap = j;
      }
    }
    entries[gap] = 0;
    size--;
  }

  /**
   * Empties it, sized for {@code expected} slots: its array is kept when it has that size already,
   * so that an index made again every collection is no garbage as large as the table.
   */
  public void clear(int expected) {
    int capacity = MIN_CAPACITY;
    while (capacity * 3L < expected * 4L) {
      capacity <<= 1;
    }
    if (entries.length == capacity) {
      Arrays.fill(entries, 0);
    } else {
      entries = new int[capacity];
    }
    size = 0;
    stale = false;
  }

  /**
   * Empties it, and takes the array of {@code other} when that one is the larger; {@code other} is
   * left empty with no array. The array taken is emptied only when {@link #clear} asks for that
   * size, or a slot is added: two indexes made in turn share one array, not one each.
   */
  public void takeRoom(SlotIndex other) {
    if (other.entries.length > entries.length) {
      entries = other.entries;
    }
    stale = entries.length > 0;
    size = 0;
    other.entries = new int[0];
    other.size = 0;
    other.stale = false;
  }

  private void insert(int slot) {
    int mask = entries.length - 1;
    int i = home(keys.key(slot), mask);
    while (entries[i] != 0) {
      i = (i + 1) & mask;
    }
    entries[i] = slot + 1;
  }

  private static int home(long key, int mask) {
    // Fibonacci hashing: cookies and inodes come in runs of consecutive numbers.
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
  }
}
