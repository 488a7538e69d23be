package io.planetexporter.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class GoDurationPropertiesTest {

  @Property
  void readsBackEveryDurationItWrites(@ForAll @LongRange(min = 0) long nanos) {
    Duration duration = Duration.ofNanos(nanos);

    assertThat(GoDuration.parse(GoDuration.format(duration))).isEqualTo(duration);
  }

  @Property
  void writesOnlyDigitsDotsAndUnits(@ForAll @LongRange(min = 0) long nanos) {
    assertThat(GoDuration.format(Duration.ofNanos(nanos))).matches("([0-9.]+(ns|us|ms|s|m|h))+");
  }
}
