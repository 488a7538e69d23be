package io.planetexporter.task.socketstat.bytes;

import io.planetexporter.task.socketstat.table.SlotIndex;
import java.util.Arrays;

/**
 * The ledger's live connections in columns, each at a slot: its cookie, the largest payload seen
 * (egress, ingress, retransmitted), its edge's totals and its place in a collection's order; and an
 * index of the slots by cookie. Not thread-safe.
 *
 * <p>Tens of thousands of connections are the largest thing the exporter keeps. As one object each
 * in a map by cookie a connection cost ~86 bytes (a 56-byte object, a map slot of a {@code long}
 * and a reference at three quarters full, and its places in two orders); here ~60: the four {@code
 * long}s of a slot lie side by side, so reading a connection is still one cache line, and the index
 * holds only an {@code int} per slot since the cookies it compares are in the columns. A slot freed
 * by a closed connection is given to the next new one, and room far beyond the live connections is
 * let go ({@link #fit}).
 */
final class LiveConnections {

  /** No slot: a cookie not in the index, or a freed place in an order. */
  static final int NONE = SlotIndex.NONE;

  private static final int COOKIE = 0;
  private static final int EGRESS = 1;
  private static final int INGRESS = 2;
  private static final int RETRANSMITTED = 3;
  private static final int LONGS = 4;

  private long[] longs = new long[0];
  private ByteCountLedger.Totals[] totals = new ByteCountLedger.Totals[0];

  /** Its place in an order; of a free slot, the next free slot (or NONE). */
  private int[] positions = new int[0];

  /** Slots past this one were never used. */
  private int used;

  private int freeSlot = NONE;
  private int size;

  private final SlotIndex index = new SlotIndex(this::cookie);

  /** The number of live connections. */
  int size() {
    return size;
  }

  /** The number of slots it has room for. */
  int capacity() {
    return totals.length;
  }

  /**
   * Lets go of room far beyond the live connections (after a table of a million sockets, one of
   * thousands keeps no million slots): moves them to the first slots in the order of {@code slots},
   * which holds every live slot once and {@link #NONE} elsewhere, and rewrites it to their new
   * slots.
   */
  void fit(int[] slots, int count) {
    if (used <= size + (size >> 1) + 4096) {
      return;
    }
    int capacity = Math.max(1024, size + (size >> 3));
    long[] movedLongs = new long[capacity * LONGS];
    ByteCountLedger.Totals[] movedTotals = new ByteCountLedger.Totals[capacity];
    int[] movedPositions = new int[capacity];
    int next = 0;
    for (int i = 0; i < count; i++) {
      int slot = slots[i];
      if (slot != NONE) {
        System.arraycopy(longs, slot * LONGS, movedLongs, next * LONGS, LONGS);
        movedTotals[next] = totals[slot];
        movedPositions[next] = positions[slot];
        slots[i] = next++;
      }
    }
    longs = movedLongs;
    totals = movedTotals;
    positions = movedPositions;
    used = next;
    freeSlot = NONE;
    index.clear(size);
    for (int slot = 0; slot < used; slot++) {
      index.add(slot);
    }
  }

  /** The slot of the live connection with this cookie, or {@link #NONE}. */
  int find(long cookie) {
    return index.find(cookie);
  }

  /** Adds a live connection, not yet in the index, with no payload yet; returns its slot. */
  int add(long cookie, ByteCountLedger.Totals edgeTotals) {
    int slot = freeSlot;
    if (slot != NONE) {
      freeSlot = positions[slot];
    } else {
      if (used == totals.length) {
        // By half as much again: the columns live as long as the table is as large.
        int capacity = Math.max(1024, used + (used >> 1));
        longs = Arrays.copyOf(longs, capacity * LONGS);
        totals = Arrays.copyOf(totals, capacity);
        positions = Arrays.copyOf(positions, capacity);
      }
      slot = used++;
    }
    int at = slot * LONGS;
    longs[at + COOKIE] = cookie;
    longs[at + EGRESS] = 0;
    longs[at + INGRESS] = 0;
    longs[at + RETRANSMITTED] = 0;
    totals[slot] = edgeTotals;
    index.add(slot);
    size++;
    return slot;
  }

  /** Takes a live connection out of the index and frees its slot. */
  void remove(int slot) {
    index.remove(slot);
    totals[slot] = null; // an edge dropped later is not kept by a freed slot
    positions[slot] = freeSlot;
    freeSlot = slot;
    size--;
  }

  long cookie(int slot) {
    return longs[slot * LONGS + COOKIE];
  }

  long egress(int slot) {
    return longs[slot * LONGS + EGRESS];
  }

  long ingress(int slot) {
    return longs[slot * LONGS + INGRESS];
  }

  long retransmitted(int slot) {
    return longs[slot * LONGS + RETRANSMITTED];
  }

  /** Raises the payload of a connection to what was seen, where it is more: it never decreases. */
  void see(int slot, long egress, long ingress, long retransmitted) {
    int at = slot * LONGS;
    longs[at + EGRESS] = Math.max(longs[at + EGRESS], egress);
    longs[at + INGRESS] = Math.max(longs[at + INGRESS], ingress);
    longs[at + RETRANSMITTED] = Math.max(longs[at + RETRANSMITTED], retransmitted);
  }

  ByteCountLedger.Totals totals(int slot) {
    return totals[slot];
  }

  void setTotals(int slot, ByteCountLedger.Totals edgeTotals) {
    totals[slot] = edgeTotals;
  }

  int position(int slot) {
    return positions[slot];
  }

  void setPosition(int slot, int position) {
    positions[slot] = position;
  }
}
