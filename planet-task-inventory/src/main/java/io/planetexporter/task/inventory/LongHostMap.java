package io.planetexporter.task.inventory;

import io.planetexporter.api.Host;

/**
 * An open-addressing hash map from {@code long} to {@link Host}, so IPv4 lookups neither box nor
 * allocate. Filled once while building an inventory, then only read.
 */
final class LongHostMap {

  private long[] keys;
  private Host[] values;
  private int size;

  LongHostMap() {
    keys = new long[16];
    values = new Host[16];
  }

  int size() {
    return size;
  }

  /** Maps the key to the host, replacing an earlier host; returns whether the key was new. */
  boolean put(long key, Host host) {
    if ((size + 1) * 2 > keys.length) {
      resize();
    }
    int slot = slot(key);
    boolean added = values[slot] == null;
    keys[slot] = key;
    values[slot] = host;
    if (added) {
      size++;
    }
    return added;
  }

  /** The host of the key, or null. */
  Host get(long key) {
    return values[slot(key)];
  }

  private int slot(long key) {
    int mask = keys.length - 1;
    int slot = mix(key) & mask;
    while (values[slot] != null && keys[slot] != key) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private void resize() {
    long[] oldKeys = keys;
    Host[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new Host[oldKeys.length * 2];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] != null) {
        int slot = slot(oldKeys[i]);
        keys[slot] = oldKeys[i];
        values[slot] = oldValues[i];
      }
    }
  }

  private static int mix(long key) {
    // Masked prefixes share their low bits: spread every bit of the key (murmur3's finalizer).
    long h = key;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (int) h;
  }
}
