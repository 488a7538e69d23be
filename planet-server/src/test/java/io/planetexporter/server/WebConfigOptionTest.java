package io.planetexporter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.collector.ProviderLoader;
import io.planetexporter.collector.TaskProviders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -web.config.file} as every option: a flag or {@code PLANET_WEB_CONFIG_FILE}. */
class WebConfigOptionTest {

  @TempDir Path dir;

  private static Exporter start(List<String> args, Map<String, String> env) throws Exception {
    Invocation invocation =
        CommandLine.parse(
            args, env, TaskProviders.discover(ProviderLoader.of(TestFetchTask.provider())));
    return Exporter.start(
        ((Invocation.Run) invocation).settings(),
        new BuildInfo("1", "r", "b", "17"),
        Clock.systemUTC());
  }

  @Test
  void stopsStartupWithOneLineNamingTheUnknownKeyFromTheEnvironmentsFile() throws Exception {
    Path file = Files.writeString(dir.resolve("web.yml"), "basic_auth_user:\n  a: b\n");

    assertThatThrownBy(
            () ->
                start(
                    List.of("-listen-address=127.0.0.1:0"),
                    Map.of("PLANET_WEB_CONFIG_FILE", file.toString())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "-web.config.file: "
                + file
                + ": unknown key \"basic_auth_user\" (see the exporter-toolkit's web config)");
  }

  @Test
  void servesPlainHttpWithAnEmptyWebConfig() throws Exception {
    Path file = Files.writeString(dir.resolve("web.yml"), "");

    try (Exporter exporter =
        start(List.of("-listen-address=127.0.0.1:0", "-web.config.file=" + file), Map.of())) {
      assertThat(exporter.address().getPort()).isPositive();
    }
  }
}
