package io.planetexporter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.collector.ProviderLoader;
import io.planetexporter.collector.TaskProviders;
import io.planetexporter.web.Flag;
import io.planetexporter.web.OptionSources;
import io.planetexporter.web.OptionValue;
import io.planetexporter.web.Origin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionSourcesTest {

  private static final OptionSet OPTIONS = options();

  @TempDir Path dir;

  private static OptionSet options() {
    try {
      return OptionSet.of(TaskProviders.discover(ProviderLoader.of(TestFetchTask.provider())));
    } catch (ConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Flag flag(String name) {
    return OPTIONS.find(name).orElseThrow();
  }

  private static OptionSources sources(Map<String, String> env, String... args)
      throws ConfigurationException {
    return OptionSources.read(List.of(args), env, OPTIONS).withConfigFile();
  }

  private Path file(String content) throws IOException {
    return Files.writeString(dir.resolve("planet-exporter.properties"), content);
  }

  @Nested
  class Origins {

    @Test
    void aFlagIsNamedWithOneDashWhicheverWasWritten() throws ConfigurationException {
      OptionValue value = sources(Map.of(), "--task-interval", "9s").value(flag("task-interval"));

      assertThat(value)
          .isEqualTo(new OptionValue("9s", new Origin.CommandLineFlag("task-interval")));
      assertThat(value.origin()).hasToString("-task-interval");
    }

    @Test
    void anEnvironmentVariableIsNamedAsWritten() throws ConfigurationException {
      OptionValue value =
          sources(Map.of("PLANET_TASK_INTERVAL", "8s")).value(flag("task-interval"));

      assertThat(value)
          .isEqualTo(new OptionValue("8s", new Origin.EnvironmentVariable("PLANET_TASK_INTERVAL")));
      assertThat(value.origin()).hasToString("PLANET_TASK_INTERVAL");
    }

    @Test
    void aConfigFileKeyIsNamedWithItsFile() throws Exception {
      Path file = file("task-interval = 6s\n");

      OptionValue value = sources(Map.of(), "-config.file=" + file).value(flag("task-interval"));

      assertThat(value)
          .isEqualTo(
              new OptionValue("6s", new Origin.ConfigFileKey(file.toString(), "task-interval")));
      assertThat(value.origin()).hasToString(file + ": task-interval");
    }

    @Test
    void aDefaultIsNamedAsTheDefaultOfItsFlag() throws ConfigurationException {
      OptionSources sources = sources(Map.of());

      assertThat(sources.given(flag("task-interval"))).isEmpty();
      assertThat(sources.value(flag("task-interval")))
          .isEqualTo(new OptionValue("7s", new Origin.Default("task-interval")));
      assertThat(sources.value(flag("task-interval")).origin())
          .hasToString("default of -task-interval");
    }
  }

  @Nested
  class Precedence {

    @Test
    void flagThenEnvironmentThenFileThenDefault() throws Exception {
      Path file = file("task-interval=6s\nlog-level=debug\nlog-format=json\n");
      Map<String, String> env = Map.of("PLANET_TASK_INTERVAL", "8s", "PLANET_LOG_LEVEL", "warn");

      OptionSources sources = sources(env, "-task-interval=9s", "-config.file", file.toString());

      assertThat(sources.value(flag("task-interval")).text()).isEqualTo("9s");
      assertThat(sources.value(flag("log-level")).origin())
          .isEqualTo(new Origin.EnvironmentVariable("PLANET_LOG_LEVEL"));
      assertThat(sources.value(flag("log-format")).origin())
          .isEqualTo(new Origin.ConfigFileKey(file.toString(), "log-format"));
      assertThat(sources.value(flag("listen-address")).origin())
          .isEqualTo(new Origin.Default("listen-address"));
    }

    @Test
    void anEmptyEnvironmentVariableCountsAsUnset() throws ConfigurationException {
      assertThat(sources(Map.of("PLANET_TASK_INTERVAL", "")).given(flag("task-interval")))
          .isEmpty();
    }

    @Test
    void theVersionFlagComesFromTheCommandLineOnly() throws ConfigurationException {
      assertThat(sources(Map.of("PLANET_VERSION", "true")).given(flag("version"))).isEmpty();
      assertThat(sources(Map.of(), "-version").value(flag("version")).text()).isEqualTo("true");
    }

    @Test
    void findsTheConfigFileThroughTheEnvironmentUnlessAFlagNamesOne() throws Exception {
      Path file = file("task-interval=6s\n");
      Path other = Files.writeString(dir.resolve("other.properties"), "task-interval=5s\n");
      Map<String, String> env = Map.of("PLANET_CONFIG_FILE", file.toString());

      assertThat(sources(env).value(flag("task-interval")).text()).isEqualTo("6s");
      assertThat(sources(env, "-config.file=" + other).value(flag("task-interval")).text())
          .isEqualTo("5s");
    }

    @Test
    void readsNoFileBeforeBeingAskedTo() throws Exception {
      OptionSources flagsOnly =
          OptionSources.read(
              List.of("-config.file=" + dir.resolve("missing.properties")), Map.of(), OPTIONS);

      assertThat(flagsOnly.value(flag("task-interval")).origin())
          .isEqualTo(new Origin.Default("task-interval"));
      assertThatThrownBy(flagsOnly::withConfigFile)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("no such file");
    }
  }

  @Nested
  class Flags {

    @Test
    void noticesAskingForHelpAmongOtherFlags() throws ConfigurationException {
      assertThat(sources(Map.of(), "-task-interval=9s", "--help").helpAsked()).isTrue();
      assertThat(sources(Map.of(), "-h").helpAsked()).isTrue();
      assertThat(sources(Map.of(), "-task-interval=9s").helpAsked()).isFalse();
    }

    @Test
    void readsABooleanFlagWithoutValueAsTrueAndAnyOtherFromTheNextArgument()
        throws ConfigurationException {
      OptionSources sources = sources(Map.of(), "-log-disable-colors", "-log-level", "debug");

      assertThat(sources.value(flag("log-disable-colors")).text()).isEqualTo("true");
      assertThat(sources.value(flag("log-level")).text()).isEqualTo("debug");
    }

    @Test
    void refusesWhatIsNoFlag() {
      assertThatThrownBy(() -> sources(Map.of(), "-log-disable-colors", "false"))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "unexpected argument \"false\" (give a boolean flag its value as -name=false)");
      assertThatThrownBy(() -> sources(Map.of(), "---x"))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("bad flag syntax: ---x");
      assertThatThrownBy(() -> sources(Map.of(), "-log-level"))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("flag needs a value: -log-level");
    }
  }
}
