package io.planetexporter.server;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.GoDuration;
import io.planetexporter.api.OptionType;
import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import io.planetexporter.collector.TaskProviders;
import io.planetexporter.web.Flag;
import io.planetexporter.web.FlagCatalog;
import io.planetexporter.web.LogSettings;
import io.planetexporter.web.OptionSources;
import io.planetexporter.web.WebFront;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every option of the program: the global ones, then each task's, as its providers declare. */
final class OptionSet implements FlagCatalog {

  static final String VERSION = "version";
  static final String LISTEN_ADDRESS = "listen-address";
  static final String LOG_DISABLE_TIMESTAMP = "log-disable-timestamp";
  static final String LOG_DISABLE_COLORS = "log-disable-colors";
  static final String TASK_INTERVAL = "task-interval";
  static final String PRIMARY_IP = "primary-ip";
  static final String WEB_CONFIG_FILE = "web.config.file";
  static final String MAX_SERIES = "max-series";
  static final Duration DEFAULT_TASK_INTERVAL = Duration.ofSeconds(7);

  /** A titled list of flags for {@code -h}. */
  record Group(String title, List<Flag> flags) {}

  private final List<Group> groups;
  private final Map<String, Flag> byName;
  private final List<String> taskNames;

  private OptionSet(List<Group> groups, Map<String, Flag> byName, List<String> taskNames) {
    this.groups = groups;
    this.byName = byName;
    this.taskNames = taskNames;
  }

  static OptionSet of(TaskProviders providers) throws ConfigurationException {
    List<Group> groups = new ArrayList<>();
    groups.add(new Group("Global flags", globalFlags()));
    for (TaskProvider provider : providers.all()) {
      groups.add(
          new Group(
              "Task " + provider.name() + ": " + provider.description(), taskFlags(provider)));
    }
    Map<String, Flag> byName = new LinkedHashMap<>();
    for (Group group : groups) {
      for (Flag flag : group.flags()) {
        if (byName.putIfAbsent(flag.name(), flag) != null) {
          throw new ConfigurationException(
              "two options are named -" + flag.name() + " (check the task names and options)");
        }
      }
    }
    List<String> taskNames = providers.all().stream().map(TaskProvider::name).toList();
    return new OptionSet(List.copyOf(groups), byName, taskNames);
  }

  private static List<Flag> globalFlags() {
    return List.of(
        Flag.of(
            LISTEN_ADDRESS,
            OptionType.STRING,
            "0.0.0.0:19100",
            "Address to serve HTTP on, host:port (port 0 picks a free port)."),
        LogSettings.LEVEL_FLAG,
        LogSettings.FORMAT_FLAG,
        Flag.of(
            LOG_DISABLE_TIMESTAMP, OptionType.BOOLEAN, "false", "Leave the time out of log lines."),
        Flag.of(
            LOG_DISABLE_COLORS,
            OptionType.BOOLEAN,
            "false",
            "Never color log levels (they are colored only when stderr is a terminal)."),
        Flag.of(
            TASK_INTERVAL,
            OptionType.DURATION,
            GoDuration.format(DEFAULT_TASK_INTERVAL),
            "Default interval between two runs of a task."),
        Flag.of(
            PRIMARY_IP,
            OptionType.STRING,
            "",
            "This host's primary IP; empty to use the source of the default route."),
        Flag.of(
            WEB_CONFIG_FILE,
            OptionType.STRING,
            "",
            "Exporter-toolkit web config (YAML): TLS, client certificates, basic auth, response"
                + " headers; empty for plain http without authentication."),
        WebFront.CONNECTIONS_PER_ADDRESS_FLAG,
        new Flag(
            OptionSources.CONFIG_FILE,
            OptionType.STRING,
            "",
            "Properties file of option values, keys are flag names without the dash"
                + " (also PLANET_CONFIG_FILE).",
            false),
        new Flag(VERSION, OptionType.BOOLEAN, "false", "Print the version and exit.", false));
  }

  private static List<Flag> taskFlags(TaskProvider provider) {
    String prefix = taskPrefix(provider.name());
    List<Flag> flags = new ArrayList<>();
    flags.add(
        Flag.of(
            prefix + "enabled",
            OptionType.BOOLEAN,
            Boolean.toString(provider.enabledByDefault()),
            "Run the " + provider.name() + " task."));
    flags.add(
        Flag.of(
            prefix + "interval",
            OptionType.DURATION,
            GoDuration.format(provider.defaultInterval(DEFAULT_TASK_INTERVAL)),
            "Interval between the starts of two runs of the task; its default follows"
                + " -task-interval."));
    flags.add(
        Flag.of(
            prefix + MAX_SERIES,
            OptionType.INTEGER,
            Integer.toString(TaskConfig.DEFAULT_MAX_SERIES),
            "Most series served of the task; the task folds its long tail to stay within it"
                + " where it can, and the rest is dropped and counted in"
                + " planet_task_series_dropped."));
    for (TaskOption option : provider.options()) {
      String description = option.description();
      if (!option.allowedValues().isEmpty()) {
        description =
            sentence(description) + " One of: " + String.join(", ", option.allowedValues()) + ".";
      }
      if (option.requiredWhenEnabled()) {
        description = sentence(description) + " Required when the task is enabled.";
      }
      flags.add(
          new Flag(
              prefix + option.name(),
              option.type(),
              option.defaultValue(),
              description,
              true,
              option::read));
    }
    return flags;
  }

  private static String sentence(String text) {
    return text.endsWith(".") ? text : text + ".";
  }

  static String taskPrefix(String taskName) {
    return "task-" + taskName + "-";
  }

  @Override
  public String unknownFlag(String name) {
    if (name.startsWith("task-")
        && taskNames.stream().noneMatch(task -> name.startsWith(taskPrefix(task)))) {
      // Most likely a task whose plugin jar is missing from lib/.
      return "unknown flag -"
          + name
          + (taskNames.isEmpty()
              ? " (no such task; no task is installed)"
              : " (no such task; the known tasks are " + String.join(", ", taskNames) + ")");
    }
    return FlagCatalog.super.unknownFlag(name);
  }

  @Override
  public Optional<Flag> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  List<Flag> all() {
    return List.copyOf(byName.values());
  }

  /** The text of {@code -h}. */
  String help() {
    StringBuilder text = new StringBuilder();
    text.append("Usage: planet-exporter [flags]\n\n")
        .append("Flags are written -name or --name, with -name=value or -name value;")
        .append(" booleans as -name or -name=false.\n")
        .append("Each can also be set with the environment variable PLANET_<NAME>")
        .append(" (e.g. PLANET_TASK_INTERVAL=7s)\n")
        .append("or as name=value in the -config.file;")
        .append(" a flag wins over the environment, which wins over the file.\n");
    for (Group group : groups) {
      text.append('\n').append(group.title()).append('\n');
      for (Flag flag : group.flags()) {
        flag.appendUsage(text);
      }
    }
    return text.toString();
  }
}
