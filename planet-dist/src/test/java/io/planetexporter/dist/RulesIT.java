package io.planetexporter.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.testfixtures.Distribution;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The tarball's {@code rules/}: promtool accepts both rule files (the map's, and the new-dependency
 * alerts of {@code planet-changes.rules.yml}) and their unit tests (synthetic series in, recorded
 * series and alerts out) pass.
 */
class RulesIT {

  private final Path rules = Distribution.shared().resolve("rules");

  @Test
  void promtoolChecksTheRulesClean() {
    Promtool.Result check = Promtool.run(rules, "check", "rules", "planet.rules.yml");

    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: 19 rules found");
  }

  @Test
  void theRulesPassTheirUnitTests() {
    Promtool.Result test = Promtool.run(rules, "test", "rules", "planet.rules.test.yml");

    assertThat(test.exitCode()).as(test.output()).isZero();
    assertThat(test.output()).contains("SUCCESS").doesNotContain("FAILED");
  }

  @Test
  void promtoolChecksTheChangeRulesClean() {
    Promtool.Result check = Promtool.run(rules, "check", "rules", "planet-changes.rules.yml");

    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: 6 rules found");
  }

  @Test
  void theChangeRulesPassTheirUnitTests() {
    Promtool.Result test = Promtool.run(rules, "test", "rules", "planet-changes.rules.test.yml");

    assertThat(test.exitCode()).as(test.output()).isZero();
    assertThat(test.output()).contains("SUCCESS").doesNotContain("FAILED");
  }

  @Test
  void aChangeRuleWithoutItsLookbackFailsItsUnitTests() throws Exception {
    // Without the hourly lookback an edge that comes back within 7 days is new again: the test of
    // that case must see it.
    Path copy = Files.createTempDirectory("planet-rules-");
    try {
      String rulesText = Files.readString(rules.resolve("planet-changes.rules.yml"));
      String broken =
          rulesText.replace(
              "max_over_time(hostgroup:planet_edge:present_max1h[7d])",
              "max_over_time(hostgroup:planet_edge:present_max1h[1m])");
      assertThat(broken).isNotEqualTo(rulesText);
      Files.writeString(copy.resolve("planet-changes.rules.yml"), broken);
      Files.copy(
          rules.resolve("planet-changes.rules.test.yml"),
          copy.resolve("planet-changes.rules.test.yml"));

      Promtool.Result test = Promtool.run(copy, "test", "rules", "planet-changes.rules.test.yml");

      assertThat(test.exitCode()).isNotZero();
      assertThat(test.output()).contains("FAILED").contains("time: 2d12h10m");
    } finally {
      for (String name :
          new String[] {"planet-changes.rules.yml", "planet-changes.rules.test.yml"}) {
        Files.deleteIfExists(copy.resolve(name));
      }
      Files.deleteIfExists(copy);
    }
  }

  @Test
  void aWrongExpectationFailsTheUnitTests() throws Exception {
    // The same tests with one expected value changed: proof that a passing run means something.
    Path copy = Files.createTempDirectory("planet-rules-");
    try {
      Files.copy(rules.resolve("planet.rules.yml"), copy.resolve("planet.rules.yml"));
      String tests = Files.readString(rules.resolve("planet.rules.test.yml"));
      String broken = tests.replaceFirst("(?m)^(\\s+value: )2$", "$13");
      assertThat(broken).isNotEqualTo(tests);
      Files.writeString(copy.resolve("planet.rules.test.yml"), broken);

      Promtool.Result test = Promtool.run(copy, "test", "rules", "planet.rules.test.yml");

      assertThat(test.exitCode()).isNotZero();
      assertThat(test.output()).contains("FAILED");
    } finally {
      for (String name : new String[] {"planet.rules.yml", "planet.rules.test.yml"}) {
        Files.deleteIfExists(copy.resolve(name));
      }
      Files.deleteIfExists(copy);
    }
  }
}
