package io.planetexporter.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.testing.TestTaskContext;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FetchOptionsTest {

  @Test
  void declaresTimeoutAndSizeWithDefaults() {
    assertThat(FetchOptions.options("30s"))
        .extracting(TaskOption::name, TaskOption::defaultValue)
        .containsExactly(
            tuple("fetch-timeout", "30s"),
            tuple("max-body-size", "64MiB"),
            tuple("basic-auth-username", ""),
            tuple("basic-auth-password-file", ""),
            tuple("bearer-token-file", ""),
            tuple("tls-ca-file", ""),
            tuple("tls-cert-file", ""),
            tuple("tls-key-file", ""),
            tuple("allow-cross-origin-redirects", "false"));
  }

  @Test
  void rejectsAZeroTimeout() {
    assertThatThrownBy(() -> config(Map.of("fetch-timeout", "0")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("fetch-timeout: must be positive, got 0s");
  }

  @Test
  void rejectsAZeroBodySizeAndOneOverTwoGibibytes() {
    assertThatThrownBy(() -> config(Map.of("max-body-size", "0")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("max-body-size: must be between 1 and 2GiB, got 0 bytes");
    assertThatThrownBy(() -> config(Map.of("max-body-size", "2GiB")))
        .hasMessageStartingWith("max-body-size: must be between 1 and 2GiB");
  }

  @Test
  void buildsAFetcherFromDefaults() throws ConfigurationException {
    assertThat(FetchOptions.fetcher(config(Map.of()))).isNotNull();
  }

  @Nested
  class Address {

    @Test
    void keepsHttpAndHttpsUrls() throws ConfigurationException {
      assertThat(address("http://127.0.0.1:8080/inv.json"))
          .isEqualTo(URI.create("http://127.0.0.1:8080/inv.json"));
      assertThat(address("https://inventory.example/x"))
          .isEqualTo(URI.create("https://inventory.example/x"));
    }

    @Test
    void turnsAPlainPathIntoAFileUri() throws ConfigurationException {
      assertThat(address("/etc/planet/inventory.json"))
          .isEqualTo(Path.of("/etc/planet/inventory.json").toUri());
      assertThat(address("relative/inv.json"))
          .isEqualTo(Path.of("relative/inv.json").toAbsolutePath().toUri());
    }

    @Test
    void keepsAFileUrl() throws ConfigurationException {
      assertThat(address("file:///etc/planet/inv.json"))
          .isEqualTo(Path.of("/etc/planet/inv.json").toUri());
    }

    @Test
    void rejectsOtherSchemes() {
      assertThatThrownBy(() -> address("ftp://host/x"))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "addr: unsupported scheme in \"ftp://host/x\" (want http, https, file or a path)");
    }

    @Test
    void rejectsAnHttpUrlWithoutHost() {
      assertThatThrownBy(() -> address("http:///x"))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("addr: no host in \"http:///x\"");
    }

    @Test
    void rejectsAnEmptyAddress() {
      assertThatThrownBy(() -> address(" ")).hasMessage("addr: required");
    }

    private URI address(String text) throws ConfigurationException {
      List<TaskOption> options = List.of(TaskOption.required("addr", "where"));
      return FetchOptions.address(
          TestTaskContext.of(
              "inventory",
              TaskConfig.parse(options, Map.of("addr", text), TestTaskContext.TASK_INTERVAL)));
    }
  }

  private static TaskConfig config(Map<String, String> texts) throws ConfigurationException {
    return TaskConfig.parse(FetchOptions.options("30s"), texts, TestTaskContext.TASK_INTERVAL);
  }
}
