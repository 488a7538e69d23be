package io.planetexporter.task.socketstat.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SlotIndexTest {

  private final long[] keys = new long[50_000];
  private final SlotIndex index = new SlotIndex(slot -> keys[slot]);

  @Test
  void findsEverySlotAcrossRemovalsInRunsOfConsecutiveAndCollidingKeys() {
    for (int slot = 0; slot < keys.length; slot++) {
      // Runs of consecutive keys, as cookies and inodes come, and keys 2^32 apart, which share
      // their low half.
      keys[slot] = slot % 2 == 0 ? 1_000 + slot : ((long) slot << 32) | 7;
      index.add(slot);
    }
    Random random = new Random(21);
    boolean[] removed = new boolean[keys.length];
    for (int i = 0; i < keys.length / 2; i++) {
      int slot = random.nextInt(keys.length);
      if (!removed[slot]) {
        index.remove(slot);
        removed[slot] = true;
      }
    }

    for (int slot = 0; slot < keys.length; slot++) {
      assertThat(index.find(keys[slot]))
          .as("key of slot %d", slot)
          .isEqualTo(removed[slot] ? SlotIndex.NONE : slot);
    }
    assertThat(index.find(-1)).isEqualTo(SlotIndex.NONE);
  }

  @Test
  void keepsTheFirstOfSlotsThatShareAKey() {
    keys[0] = 42;
    keys[1] = 43;
    keys[2] = 42;

    assertThat(index.addIfAbsent(0)).isTrue();
    assertThat(index.addIfAbsent(1)).isTrue();
    assertThat(index.addIfAbsent(2)).isFalse();

    assertThat(index.find(42)).isZero();
    assertThat(index.find(43)).isEqualTo(1);
  }

  @Test
  void anIndexThatTookAnothersRoomHoldsNoneOfItsKeys() {
    for (int slot = 0; slot < 1_000; slot++) {
      keys[slot] = 5_000 + slot;
      index.add(slot);
    }
    SlotIndex next = new SlotIndex(slot -> keys[slot]);

    next.takeRoom(index);
    assertThat(next.find(5_000)).isEqualTo(SlotIndex.NONE);
    keys[3] = 77;
    next.add(3);

    assertThat(next.find(77)).isEqualTo(3);
    assertThat(next.find(5_001)).as("an entry left by the other index").isEqualTo(SlotIndex.NONE);
    assertThat(index.find(5_001))
        .as("the index that gave its room is empty")
        .isEqualTo(SlotIndex.NONE);
  }
}
