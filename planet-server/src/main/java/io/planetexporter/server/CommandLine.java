package io.planetexporter.server;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import io.planetexporter.collector.OptionOrigins;
import io.planetexporter.collector.TaskProviders;
import io.planetexporter.collector.TaskSpec;
import io.planetexporter.net.IpAddress;
import io.planetexporter.web.Flag;
import io.planetexporter.web.ListenAddress;
import io.planetexporter.web.LogSettings;
import io.planetexporter.web.OptionSources;
import io.planetexporter.web.OptionValue;
import io.planetexporter.web.Origin;
import io.planetexporter.web.WebFront;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the options mean: reads each option's text, wherever it came from ({@link OptionSources}),
 * into the typed {@link Settings}, naming the value's origin in every error.
 */
final class CommandLine {

  private final OptionSet options;
  private final OptionSources sources;

  private CommandLine(OptionSet options, OptionSources sources) {
    this.options = options;
    this.sources = sources;
  }

  /**
   * Reads the configuration from the command line, the environment and the config file.
   *
   * @param env the environment, e.g. {@link System#getenv()}
   * @throws ConfigurationException with a one-line message naming the option when a flag is
   *     unknown, a value does not parse or a required value is missing
   */
  static Invocation parse(List<String> args, Map<String, String> env, TaskProviders providers)
      throws ConfigurationException {
    OptionSet options = OptionSet.of(providers);
    OptionSources sources = OptionSources.read(args, env, options);
    if (sources.helpAsked()) {
      return new Invocation.Help(options.help());
    }
    // Before the config file is read: -version works whatever the file holds.
    CommandLine flagsAndEnvironment = new CommandLine(options, sources);
    if ((Boolean) flagsAndEnvironment.parsed(flagsAndEnvironment.flag(OptionSet.VERSION))) {
      return new Invocation.Version();
    }
    return new Invocation.Run(
        new CommandLine(options, sources.withConfigFile()).settings(providers));
  }

  private Object parsed(Flag flag) throws ConfigurationException {
    OptionValue value = sources.value(flag);
    try {
      return flag.read(value.text());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(value.origin() + ": " + e.getMessage(), e);
    }
  }

  private Flag flag(String name) {
    return options.find(name).orElseThrow();
  }

  private String string(String name) throws ConfigurationException {
    return (String) parsed(flag(name));
  }

  private Settings settings(TaskProviders providers) throws ConfigurationException {
    // Parse every option, enabled task or not, so that a typo never waits to bite.
    Map<String, Object> values = new HashMap<>();
    for (Flag flag : options.all()) {
      values.put(flag.name(), parsed(flag));
    }
    Duration taskInterval =
        positive(OptionSet.TASK_INTERVAL, (Duration) values.get(OptionSet.TASK_INTERVAL));
    ListenAddress listen = ListenAddress.parse(sources.value(flag(OptionSet.LISTEN_ADDRESS)));
    LogSettings log =
        LogSettings.read(
            sources.value(LogSettings.LEVEL_FLAG),
            sources.value(LogSettings.FORMAT_FLAG),
            !(Boolean) values.get(OptionSet.LOG_DISABLE_TIMESTAMP),
            !(Boolean) values.get(OptionSet.LOG_DISABLE_COLORS));
    List<TaskSpec> tasks = new ArrayList<>();
    for (TaskProvider provider : providers.all()) {
      if ((Boolean) values.get(OptionSet.taskPrefix(provider.name()) + "enabled")) {
        tasks.add(task(provider, values, taskInterval));
      }
    }
    String webConfig = string(OptionSet.WEB_CONFIG_FILE);
    return new Settings(
        listen.host(),
        listen.port(),
        log,
        taskInterval,
        primaryIp(string(OptionSet.PRIMARY_IP)),
        tasks,
        webConfig.isEmpty() ? Optional.empty() : Optional.of(Path.of(webConfig)),
        WebFront.connectionsPerAddress(sources.value(WebFront.CONNECTIONS_PER_ADDRESS_FLAG)));
  }

  /** An enabled task with its configuration, read as a plugin's test reads it with the test kit. */
  private TaskSpec task(TaskProvider provider, Map<String, Object> values, Duration taskInterval)
      throws ConfigurationException {
    String prefix = OptionSet.taskPrefix(provider.name());
    Flag intervalFlag = flag(prefix + "interval");
    Duration interval =
        sources.given(intervalFlag).isPresent()
            ? (Duration) values.get(intervalFlag.name())
            : provider.defaultInterval(taskInterval);
    positive(intervalFlag.name(), interval);
    String maxSeriesFlag = prefix + OptionSet.MAX_SERIES;
    long maxSeries = (Long) values.get(maxSeriesFlag);
    if (maxSeries < 1 || maxSeries > Integer.MAX_VALUE) {
      throw new ConfigurationException(
          source(maxSeriesFlag) + ": must be between 1 and " + Integer.MAX_VALUE);
    }
    Map<String, String> texts = new HashMap<>();
    Map<String, String> origins = new HashMap<>();
    for (TaskOption option : provider.options()) {
      Flag flag = flag(prefix + option.name());
      Optional<OptionValue> given = sources.given(flag);
      given.ifPresent(value -> texts.put(option.name(), value.text()));
      // An option nobody gave is named by its flag, where the operator would give it.
      origins.put(
          option.name(), given.map(value -> value.origin().toString()).orElse("-" + flag.name()));
    }
    OptionOrigins located = new OptionOrigins(provider.name(), origins);
    try {
      TaskConfig config = TaskConfig.parse(provider.options(), texts, interval, (int) maxSeries);
      return new TaskSpec(provider, config, located);
    } catch (ConfigurationException e) {
      throw located.locate(e);
    }
  }

  private Origin source(String name) {
    return sources.value(flag(name)).origin();
  }

  private Duration positive(String name, Duration duration) throws ConfigurationException {
    if (duration.isZero() || duration.isNegative()) {
      throw new ConfigurationException(source(name) + ": must be more than 0s");
    }
    return duration;
  }

  /** An IP literal without a zone; never a name, so that no DNS query is made. */
  private Optional<IpAddress> primaryIp(String text) throws ConfigurationException {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(IpAddress.parse(text));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          source(OptionSet.PRIMARY_IP) + ": \"" + text + "\" is not an IP address", e);
    }
  }
}
