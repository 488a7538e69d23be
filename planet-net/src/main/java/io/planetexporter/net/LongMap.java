package io.planetexporter.net;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * A map from {@code long} keys (socket inodes, packed IPv4 prefixes) to values, by open addressing,
 * so that tens of thousands of entries cost two arrays rather than a boxed key and a node each, and
 * a lookup neither boxes nor allocates.
 *
 * <pre>{@code
 * LongMap<String> owners = new LongMap<>(1024);
 * owners.put(4711L, "sshd");
 * owners.get(4711L); // "sshd"
 * owners.get(42L);   // null
 * }</pre>
 *
 * <p>Every key is allowed, 0 included; values are never null. Removal shifts entries back (no
 * tombstones); the table never shrinks. Not thread-safe; a map no longer written to may be read
 * from any thread it was safely published to.
 *
 * @param <V> the type of the values
 * @since 0.2
 */
public final class LongMap<V> {

  private static final int MIN_CAPACITY = 16;

  // Slots whose key is 0 are empty; the key 0 itself lives beside the table.
  private long[] keys;
  private Object[] values;
  private int size;
  private V zeroValue;

  /** A map sized for {@code expectedSize} entries before it grows (it grows as needed). */
  public LongMap(int expectedSize) {
    int capacity = MIN_CAPACITY;
    while (capacity * 3L < expectedSize * 4L) {
      capacity <<= 1;
    }
    keys = new long[capacity];
    values = new Object[capacity];
  }

  /** The number of keys. */
  public int size() {
    return size;
  }

  /** The value of {@code key}, or null. */
  @SuppressWarnings("unchecked")
  public V get(long key) {
    if (key == 0) {
      return zeroValue;
    }
    int mask = keys.length - 1;
    for (int i = slot(key, mask); keys[i] != 0; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return (V) values[i];
      }
    }
    return null;
  }

  /** Whether {@code key} has a value. */
  public boolean containsKey(long key) {
    return get(key) != null;
  }

  /**
   * Sets the value of {@code key} to {@code value}, replacing an earlier one.
   *
   * @throws IllegalArgumentException when the value is null
   */
  public void put(long key, V value) {
    if (value == null) {
      throw new IllegalArgumentException("null value for key " + key);
    }
    if (key == 0) {
      if (zeroValue == null) {
        size++;
      }
      zeroValue = value;
      return;
    }
    // At most 3/4 full: a socket table's map is the largest thing the exporter keeps, and probes
    // stay short enough at that load.
    if ((size + 1) * 4L > keys.length * 3L) {
      grow();
    }
    int mask = keys.length - 1;
    int i = slot(key, mask);
    while (keys[i] != 0 && keys[i] != key) {
      i = (i + 1) & mask;
    }
    if (keys[i] == 0) {
      keys[i] = key;
      size++;
    }
    values[i] = value;
  }

  /**
   * Removes the value of {@code key}.
   *
   * @return the value it had, or null
   */
  @SuppressWarnings("unchecked")
  public V remove(long key) {
    if (key == 0) {
      V removed = zeroValue;
      if (removed != null) {
        zeroValue = null;
        size--;
      }
      return removed;
    }
    int mask = keys.length - 1;
    int i = slot(key, mask);
    while (keys[i] != key) {
      if (keys[i] == 0) {
        return null;
      }
      i = (i + 1) & mask;
    }
    V removed = (V) values[i];
    // Backward shift: pull later entries of the probe run into the gap, so no tombstones.
    int gap = i;
    for (int j = (gap + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
      int home = slot(keys[j], mask);
      // Entry j may move to the gap unless its home lies cyclically in (gap, j].
      if (((j - home) & mask) >= ((j - gap) & mask)) {
        keys[gap] = keys[j];
        values[gap] = values[j];
        gap = j;
      }
    }
    keys[gap] = 0;
    values[gap] = null;
    size--;
    return removed;
  }

  /** Removes every entry, keeping the table's size for as many again. */
  public void clear() {
    Arrays.fill(keys, 0);
    Arrays.fill(values, null);
    zeroValue = null;
    size = 0;
  }

  /** Calls {@code action} with every key, in no particular order. */
  public void forEachKey(LongConsumer action) {
    if (zeroValue != null) {
      action.accept(0);
    }
    for (long key : keys) {
      if (key != 0) {
        action.accept(key);
      }
    }
  }

  private void grow() {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new Object[oldKeys.length * 2];
    int mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldKeys[j] != 0) {
        int i = slot(oldKeys[j], mask);
        while (keys[i] != 0) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        values[i] = oldValues[j];
      }
    }
  }

  private static int slot(long key, int mask) {
    // Fibonacci hashing, taking bits 32 and up of the product: each mixes in every lower bit of
    // the key, so keys whose low bits are all zero (masked IPv4 prefixes) still spread.
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
  }
}
