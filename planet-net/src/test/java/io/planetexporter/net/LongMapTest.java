package io.planetexporter.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LongMapTest {

  @Test
  void answersLikeAHashMapThroughGrowthAndOverwrites() {
    Random random = new Random(42);
    LongMap<String> map = new LongMap<>(0);
    Map<Long, String> reference = new HashMap<>();
    for (int i = 0; i < 50_000; i++) {
      // Few distinct keys among many: collisions, overwrites and growth all happen.
      long key = 1 + random.nextInt(20_000) * 4096L;
      map.put(key, "v" + i);
      reference.put(key, "v" + i);
    }

    assertThat(map.size()).isEqualTo(reference.size());
    reference.forEach((key, value) -> assertThat(map.get(key)).isEqualTo(value));
    assertThat(map.get(3)).isNull();
    assertThat(map.get(0)).isNull();
    TreeSet<Long> keys = new TreeSet<>();
    map.forEachKey(keys::add);
    assertThat(keys).isEqualTo(new TreeSet<>(reference.keySet()));

    map.clear();
    assertThat(map.size()).isZero();
    assertThat(map.get(keys.first())).isNull();
    map.put(keys.first(), "again");
    assertThat(map.get(keys.first())).isEqualTo("again");
  }

  @Test
  void removesLikeAHashMapWithCollidingKeysInAFullProbeRun() {
    Random random = new Random(7);
    LongMap<Long> map = new LongMap<>(0);
    Map<Long, Long> reference = new HashMap<>();
    for (int i = 0; i < 100_000; i++) {
      // Few distinct keys (0 among them), so that removals land inside long probe runs and wrap.
      long key = random.nextInt(300);
      if (random.nextInt(3) == 0) {
        assertThat(map.remove(key)).isEqualTo(reference.remove(key));
      } else {
        map.put(key, (long) i);
        reference.put(key, (long) i);
      }
      assertThat(map.size()).isEqualTo(reference.size());
    }

    for (long key = 0; key <= 301; key++) {
      assertThat(map.get(key)).isEqualTo(reference.get(key));
    }
    TreeSet<Long> keys = new TreeSet<>();
    map.forEachKey(keys::add);
    assertThat(keys).isEqualTo(new TreeSet<>(reference.keySet()));
  }

  @Test
  void holdsKeyZeroLikeAnyOther() {
    LongMap<String> map = new LongMap<>(4);
    map.put(7, "seven");

    assertThat(map.get(0)).isNull();
    assertThat(map.containsKey(0)).isFalse();
    map.put(0, "zero");
    map.put(0, "zero again");

    assertThat(map.get(0)).isEqualTo("zero again");
    assertThat(map.containsKey(0)).isTrue();
    assertThat(map.size()).isEqualTo(2);
    TreeSet<Long> keys = new TreeSet<>();
    map.forEachKey(keys::add);
    assertThat(keys).containsExactly(0L, 7L);
  }

  @Test
  void holdsNegativeKeysAndKeysThatDifferOnlyInTheirHighBits() {
    LongMap<Integer> map = new LongMap<>(0);
    for (int length = 0; length <= 33; length++) {
      map.put((long) length << 32, length);
      map.put(-1L - length, -length);
    }

    for (int length = 0; length <= 33; length++) {
      assertThat(map.get((long) length << 32)).isEqualTo(length);
      assertThat(map.get(-1L - length)).isEqualTo(-length);
    }
    assertThat(map.size()).isEqualTo(68);
  }

  @Test
  void refusesNullValues() {
    LongMap<String> map = new LongMap<>(4);

    assertThatThrownBy(() -> map.put(1, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("null value for key 1");
  }
}
