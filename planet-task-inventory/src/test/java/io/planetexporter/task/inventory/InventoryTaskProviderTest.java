package io.planetexporter.task.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.InventorySource;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import io.planetexporter.api.testing.TestTaskContext;
import io.planetexporter.fetch.FetchOptions;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class InventoryTaskProviderTest {

  private final InventoryTaskProvider provider = new InventoryTaskProvider();

  @Test
  void isFoundByServiceLoader() {
    assertThat(ServiceLoader.load(TaskProvider.class).stream().map(ServiceLoader.Provider::type))
        .contains(InventoryTaskProvider.class);
  }

  @Test
  void isNamedInventoryAndDisabledByDefault() {
    assertThat(provider.name()).isEqualTo("inventory");
    assertThat(provider.enabledByDefault()).isFalse();
  }

  @Test
  void runsEvery25TaskIntervals() {
    assertThat(provider.defaultInterval(Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(175));
  }

  @Test
  void declaresTheGoProgramsOptionsTheEntryLimitAndTheFetchLimits() {
    assertThat(provider.options())
        .extracting(TaskOption::name, TaskOption::defaultValue, TaskOption::requiredWhenEnabled)
        .startsWith(
            tuple("addr", "", true),
            tuple("format", "arrayjson", false),
            tuple("max-entries", "250000", false),
            tuple("fetch-timeout", "30s", false),
            tuple("max-body-size", "64MiB", false));
    // Then the credentials, TLS and redirect options every fetching task shares.
    assertThat(provider.options()).endsWith(FetchOptions.options("30s").toArray(new TaskOption[0]));
  }

  @Test
  void createsATaskThatSuppliesTheInventory() throws ConfigurationException {
    assertThat(provider.create(context("http://127.0.0.1:1/inv.json", "ndjson")))
        .isInstanceOf(InventorySource.class);
  }

  @Test
  void rejectsAnUnknownFormatAsTheServerReadsIt() {
    assertThatThrownBy(() -> context("/etc/inventory.json", "xml"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("format: unknown value \"xml\" (want arrayjson or ndjson)");
  }

  @Test
  void rejectsAnAddressItCannotFetch() {
    assertThatThrownBy(() -> provider.create(context("ftp://127.0.0.1/inv.json", "arrayjson")))
        .isInstanceOfSatisfying(
            ConfigurationException.class, e -> assertThat(e.option()).contains("addr"))
        .hasMessageStartingWith("addr: unsupported scheme");
  }

  private TestTaskContext context(String addr, String format) throws ConfigurationException {
    return TestTaskContext.of(provider, Map.of("addr", addr, "format", format));
  }
}
