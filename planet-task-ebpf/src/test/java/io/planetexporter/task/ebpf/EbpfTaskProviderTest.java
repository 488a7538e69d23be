package io.planetexporter.task.ebpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import io.planetexporter.fetch.FetchOptions;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class EbpfTaskProviderTest {

  @Test
  void isFoundByServiceLoaderAsEbpf() {
    assertThat(ServiceLoader.load(TaskProvider.class).stream().map(p -> p.get().name()))
        .contains("ebpf");
  }

  @Test
  void isDisabledByDefault() {
    assertThat(new EbpfTaskProvider().enabledByDefault()).isFalse();
  }

  @Test
  void declaresAddrWithTheGoProgramsDefaultAndTheFetchLimits() {
    assertThat(new EbpfTaskProvider().options())
        .extracting(TaskOption::name, TaskOption::defaultValue, TaskOption::requiredWhenEnabled)
        .startsWith(
            tuple("addr", "http://localhost:9435/metrics", false),
            tuple("fetch-timeout", "5s", false),
            tuple("max-body-size", "64MiB", false));
    // Then the credentials, TLS and redirect options every fetching task shares.
    assertThat(new EbpfTaskProvider().options())
        .endsWith(FetchOptions.options("5s").toArray(new TaskOption[0]));
  }
}
