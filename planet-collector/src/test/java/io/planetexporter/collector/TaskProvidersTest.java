package io.planetexporter.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.OptionType;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskContext;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskProvidersTest {

  private static TaskProvider provider(String name) {
    return new TestProvider(name, context -> null);
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
    TaskProvider twice = new TestProvider("x", List.of(option, option), context -> null);

    assertThatThrownBy(() -> TaskProviders.discover(ProviderLoader.of(twice)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("task \"x\" declares option \"addr\" twice");
  }

  @Test
  void namesAProviderThatThrowsWhenAskedForItsOptions() {
    TaskProvider broken =
        new TaskProvider() {
          @Override
          public String name() {
            return "broken";
          }

          @Override
          public String description() {
            return "Declares an option it cannot.";
          }

          @Override
          public List<TaskOption> options() {
            return List.of(TaskOption.of("Bad_Option", OptionType.STRING, "", "x"));
          }

          @Override
          public Task create(TaskContext context) {
            throw new UnsupportedOperationException();
          }
        };

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
