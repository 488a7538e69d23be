package io.planetexporter.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestTest {

  @Test
  void defaultsToTheWholeMapOfTheLastHour() {
    assertThat(Request.parse(null))
        .isEqualTo(new Request(Duration.ofHours(1), Optional.empty(), 1, Optional.empty()));
  }

  @Test
  void readsRangeHostgroupAndDepth() {
    assertThat(Request.parse("range=15m&hostgroup=check%20out&depth=3"))
        .isEqualTo(
            new Request(Duration.ofMinutes(15), Optional.of("check out"), 3, Optional.empty()));
  }

  @Test
  void readsAtAsRfc3339OrUnixSeconds() {
    Instant now = Instant.parse("2026-12-06T12:00:00Z");
    Instant at = Instant.parse("2026-12-05T10:30:00Z");

    assertThat(Request.parse("at=2026-12-05T10:30:00Z", now).at()).hasValue(at);
    assertThat(Request.parse("at=2026-12-05T11:30:00%2B01:00", now).at()).hasValue(at);
    assertThat(Request.parse("at=" + at.getEpochSecond(), now).at()).hasValue(at);
    assertThat(Request.parse("at=" + at.getEpochSecond() + ".25", now).at())
        .hasValue(at.plusMillis(250));
    assertThat(Request.parse("at=" + at.getEpochSecond(), now).end(now)).isEqualTo(at);
    assertThat(Request.parse(null, now).end(now)).isEqualTo(now);
  }

  @Test
  void refusesATimeInTheFutureOrThatDoesNotParse() {
    Instant now = Instant.parse("2026-12-06T12:00:00Z");

    assertThatThrownBy(() -> Request.parse("at=2026-12-06T12:00:01Z", now))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("at: 2026-12-06T12:00:01Z is in the future (now is 2026-12-06T12:00:00Z)");
    assertThatThrownBy(() -> Request.parse("at=yesterday", now))
        .hasMessage(
            "at: want RFC 3339 (2026-12-06T10:00:00Z) or Unix seconds (1796551200), got"
                + " \"yesterday\"");
    assertThatThrownBy(() -> Request.parse("at=2026-12-06", now)).hasMessageStartingWith("at: ");
    assertThatThrownBy(() -> Request.parse("at=1e400", now)).hasMessageStartingWith("at: ");
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
