package io.planetexporter.task.darkstat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import io.planetexporter.api.testing.TestTaskContext;
import io.planetexporter.fetch.FetchOptions;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class DarkstatTaskProviderTest {

  @Test
  void isFoundByServiceLoaderAsDarkstat() {
    assertThat(ServiceLoader.load(TaskProvider.class).stream().map(p -> p.get().name()))
        .contains("darkstat");
  }

  @Test
  void isDisabledByDefault() {
    assertThat(new DarkstatTaskProvider().enabledByDefault()).isFalse();
  }

  @Test
  void declaresARequiredAddrAndTheFetchLimits() {
    assertThat(new DarkstatTaskProvider().options())
        .extracting(TaskOption::name, TaskOption::defaultValue, TaskOption::requiredWhenEnabled)
        .startsWith(
            tuple("addr", "", true),
            tuple("fetch-timeout", "5s", false),
            tuple("max-body-size", "64MiB", false));
    // Then the credentials, TLS and redirect options every fetching task shares.
    assertThat(new DarkstatTaskProvider().options())
        .endsWith(FetchOptions.options("5s").toArray(new TaskOption[0]));
  }

  @Test
  void rejectsAnAddrThatIsNotAUrl() {
    assertThatThrownBy(
            () ->
                TestTaskContext.of(
                        new DarkstatTaskProvider(), Map.of("addr", "ftp://localhost/metrics"))
                    .create())
        .isInstanceOfSatisfying(
            ConfigurationException.class, e -> assertThat(e.option()).contains("addr"))
        .hasMessageStartingWith("addr: unsupported scheme");
  }
}
