package io.planetexporter.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.testfixtures.Distribution;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The tarball's {@code rules/}: promtool accepts the rules and their unit tests (synthetic per-host
 * series in, recorded series and alerts out) pass.
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
