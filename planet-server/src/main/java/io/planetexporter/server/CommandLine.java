package io.planetexporter.server;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import io.planetexporter.collector.OptionOrigins;
import io.planetexporter.collector.TaskProviders;
import io.planetexporter.collector.TaskSpec;
import io.planetexporter.net.IpAddress;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

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
    Listen listen = listen(string(OptionSet.LISTEN_ADDRESS));
    LogSettings log =
        new LogSettings(
            level(string(OptionSet.LOG_LEVEL)),
            logFormat(string(OptionSet.LOG_FORMAT)),
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
        webConfig.isEmpty() ? Optional.empty() : Optional.of(Path.of(webConfig)));
  }

  /** The host and port of {@code -listen-address}. */
  private record Listen(String host, int port) {}

  private Listen listen(String text) throws ConfigurationException {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new ConfigurationException(
          source(OptionSet.LISTEN_ADDRESS) + ": \"" + text + "\" is not host:port");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new ConfigurationException(
          source(OptionSet.LISTEN_ADDRESS) + ": bad port in \"" + text + "\"");
    }
    return new Listen(host, port);
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

  private Level level(String text) throws ConfigurationException {
    switch (text) {
      case "trace": // the Go program's logrus levels, kept so its command lines still work
        return Level.FINEST;
      case "debug":
        return Level.FINE;
      case "info":
        return Level.INFO;
      case "warn":
      case "warning":
        return Level.WARNING;
      case "error":
      case "fatal":
      case "panic":
        return Level.SEVERE;
      default:
        throw new ConfigurationException(
            source(OptionSet.LOG_LEVEL)
                + ": unknown level \""
                + text
                + "\" (want debug, info, warn or error)");
    }
  }

  private boolean logFormat(String text) throws ConfigurationException {
    switch (text) {
      case "logfmt":
        return false;
      case "json":
        return true;
      default:
        throw new ConfigurationException(
            source(OptionSet.LOG_FORMAT)
                + ": unknown format \""
                + text
                + "\" (want logfmt or json)");
    }
  }

  /** An IP literal without a zone; never a name, so that no DNS query is made. */
  private Optional<InetAddress> primaryIp(String text) throws ConfigurationException {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(IpAddress.parse(text).toInetAddress());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          source(OptionSet.PRIMARY_IP) + ": \"" + text + "\" is not an IP address", e);
    }
  }
}
