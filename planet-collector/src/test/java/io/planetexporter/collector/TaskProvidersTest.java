package io.planetexporter.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.OptionType;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import io.planetexporter.api.testing.TestTaskProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskProvidersTest {

  private static TaskProvider provider(String name) {
    return TestTaskProvider.of(name, context -> null);
  }

  @Test
  void listsProvidersSortedByName() throws ConfigurationException {
    TaskProviders providers =
        TaskProviders.discover(ProviderLoader.of(provider("socketstat"), provider("darkstat")));

    assertThat(providers.all())
        .extracting(TaskProvider::name)
        .containsExactly("darkstat", "socketstat");
    assertThat(providers.get("socketstat").name()).isEqualTo("socketstat");
  }

  @Test
  void rejectsTwoProvidersOfTheSameName() {
    assertThatThrownBy(
            () -> TaskProviders.discover(ProviderLoader.of(provider("dup"), provider("dup"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("duplicate task name \"dup\"");
  }

  @Test
  void rejectsAnUnknownTaskNamingTheKnownOnes() throws ConfigurationException {
    TaskProviders providers =
        TaskProviders.discover(ProviderLoader.of(provider("a"), provider("b")));

    assertThatThrownBy(() -> providers.get("c"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("unknown task \"c\" (known: a, b)");
  }

  @Test
  void rejectsANameThatIsNotLowerCaseWords() {
    assertThatThrownBy(() -> TaskProviders.discover(ProviderLoader.of(provider("Bad_Name"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("invalid name \"Bad_Name\"");
  }

  @Test
  void rejectsAnOptionDeclaredTwice() {
    TaskOption option = TaskOption.of("addr", OptionType.STRING, "", "where");
    TaskProvider twice = TestTaskProvider.of("x", context -> null).options(List.of(option, option));

    assertThatThrownBy(() -> TaskProviders.discover(ProviderLoader.of(twice)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("task \"x\" declares option \"addr\" twice");
  }

  @Test
  void namesAProviderThatThrowsWhenAskedForItsOptions() {
    TaskProvider broken =
        TestTaskProvider.of(
                "broken",
                context -> {
                  throw new UnsupportedOperationException();
                })
            .description("Declares an option it cannot.")
            .options(() -> List.of(TaskOption.of("Bad_Option", OptionType.STRING, "", "x")));

    assertThatThrownBy(() -> TaskProviders.discover(ProviderLoader.of(broken)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("task provider ")
        .hasMessageContaining(" is broken: java.lang.IllegalArgumentException: option name");
  }

  @Test
  void findsProvidersWithServiceLoader() throws ConfigurationException {
    TaskProviders providers =
        TaskProviders.discover(ProviderLoader.serviceLoader(getClass().getClassLoader()));

    assertThat(providers.all()).extracting(TaskProvider::name).containsExactly("service-loaded");
  }
}
