package io.planetexporter.task.ebpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
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
        .containsExactly(
            tuple("addr", "http://localhost:9435/metrics", false),
            tuple("fetch-timeout", "5s", false),
            tuple("max-body-size", "64MiB", false),
            tuple("basic-auth-username", "", false),
            tuple("basic-auth-password-file", "", false),
            tuple("bearer-token-file", "", false),
            tuple("tls-ca-file", "", false),
            tuple("tls-cert-file", "", false),
            tuple("tls-key-file", "", false),
            tuple("allow-cross-origin-redirects", "false", false));
  }
}
