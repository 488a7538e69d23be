package io.planetexporter.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestTest {

  @Test
  void defaultsToTheWholeMapOfTheLastHour() {
    assertThat(Request.parse(null))
        .isEqualTo(new Request(Duration.ofHours(1), Optional.empty(), 1));
  }

  @Test
  void readsRangeHostgroupAndDepth() {
    assertThat(Request.parse("range=15m&hostgroup=check%20out&depth=3"))
        .isEqualTo(new Request(Duration.ofMinutes(15), Optional.of("check out"), 3));
  }

  @Test
  void refusesBadValuesNamingTheParameter() {
    assertThatThrownBy(() -> Request.parse("range=soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("range: ");
    assertThatThrownBy(() -> Request.parse("depth=0"))
        .hasMessage("depth: want a whole number from 1 to 10, got \"0\"");
    assertThatThrownBy(() -> Request.parse("depth=x")).hasMessageStartingWith("depth: ");
  }
}
