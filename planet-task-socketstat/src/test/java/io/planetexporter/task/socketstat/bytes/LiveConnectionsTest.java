package io.planetexporter.task.socketstat.bytes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LiveConnectionsTest {

  private final LiveConnections live = new LiveConnections();

  @Test
  void findsEachConnectionByCookieAcrossRemovalsAndGivesFreedSlotsAgain() {
    int[] slots = new int[5_000];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = live.add(1_000 + i, null);
      live.see(slots[i], i, 2L * i, 0);
    }
    for (int i = 0; i < slots.length; i += 3) {
      live.remove(slots[i]);
    }
    int reused = live.add(99_999, null);

    assertThat(reused).isEqualTo(slots[slots.length - 1 - (slots.length - 1) % 3]);
    assertThat(live.find(99_999)).isEqualTo(reused);
    for (int i = 0; i < slots.length; i++) {
      int slot = live.find(1_000 + i);
      if (i % 3 == 0) {
        assertThat(slot).as("cookie %d", 1_000 + i).isEqualTo(LiveConnections.NONE);
      } else {
        assertThat(slot).as("cookie %d", 1_000 + i).isEqualTo(slots[i]);
        assertThat(live.ingress(slot)).isEqualTo(2L * i);
      }
    }
  }

  @Test
  void keepsNoRoomOfALargeTableOnceTheTableIsSmall() {
    int[] order = new int[100_000];
    for (int i = 0; i < order.length; i++) {
      order[i] = live.add(1 + i, null);
      live.see(order[i], 10L * i, i, 0);
      live.setPosition(order[i], i);
    }
    for (int i = 0; i < order.length; i++) {
      if (i % 1_000 != 7) {
        live.remove(order[i]);
        order[i] = LiveConnections.NONE; // as the ledger's order marks a closed connection
      }
    }

    live.fit(order, order.length);

    assertThat(live.size()).isEqualTo(100);
    assertThat(live.capacity()).isEqualTo(1024);
    for (int i = 7; i < order.length; i += 1_000) {
      int slot = live.find(1 + i);
      assertThat(order[i]).as("the order names the moved slot").isEqualTo(slot);
      assertThat(live.egress(slot)).isEqualTo(10L * i);
      assertThat(live.position(slot)).isEqualTo(i);
    }
    assertThat(Arrays.stream(order).filter(slot -> slot != LiveConnections.NONE))
        .containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
    int added = live.add(500_000, null);
    assertThat(added).isEqualTo(100);
    assertThat(live.find(500_000)).isEqualTo(100);
  }
}
