package io.planetexporter.benchmarks;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.Sets;
import com.google.common.net.InetAddresses;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SoakBenchTest {

  private static final Pattern IP = Pattern.compile("ip=\"([^\"]+)\"");

  private static Set<String> hosts(int minute) {
    Set<String> hosts = new HashSet<>();
    Matcher m = IP.matcher(new String(SoakBench.darkstatPage(15_000, minute), US_ASCII));
    while (m.find()) {
      assertThat(InetAddresses.isInetAddress(m.group(1))).as(m.group(1)).isTrue();
      hosts.add(m.group(1));
    }
    return hosts;
  }

  @Test
  void everyMinutesPageHasItsOwnHostsAllValidAddresses() {
    Set<String> previous = hosts(0);
    assertThat(previous).hasSize(15_000);
    for (int minute = 1; minute <= 8; minute++) {
      Set<String> now = hosts(minute);
      assertThat(now).hasSize(15_000);
      // A set's own intersection: AssertJ's doesNotContainAnyElementsOf compares every pair.
      assertThat(Sets.intersection(now, previous)).as("minute %d", minute).isEmpty();
      previous = now;
    }
  }
}
