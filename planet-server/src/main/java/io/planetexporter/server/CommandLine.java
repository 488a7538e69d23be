package io.planetexporter.server;

import com.google.common.net.InetAddresses;
import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import io.planetexporter.collector.OptionOrigins;
import io.planetexporter.collector.TaskProviders;
import io.planetexporter.collector.TaskSpec;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

/**
 * Reads the program's configuration from the command line, the environment and the config file, in
 * that order of precedence, over the options' defaults.
 */
final class CommandLine {

  /** A value's text and where it came from, for error messages. */
  private record Value(String text, String source) {}

  private final OptionSet options;
  private final Map<String, Value> flags = new HashMap<>();
  private final Map<String, String> env;
  private Map<String, String> file = Map.of();
  private String fileName = "";

  private CommandLine(OptionSet options, Map<String, String> env) {
    this.options = options;
    this.env = env;
  }

  /**
   * Reads the configuration.
   *
   * @param env the environment, e.g. {@link System#getenv()}
   * @throws ConfigurationException with a one-line message naming the option when a flag is
   *     unknown, a value does not parse or a required value is missing
   */
  static Invocation parse(List<String> args, Map<String, String> env, TaskProviders providers)
      throws ConfigurationException {
    OptionSet options = OptionSet.of(providers);
    CommandLine commandLine = new CommandLine(options, env);
    if (commandLine.readFlags(args)) {
      return new Invocation.Help(options.help());
    }
    if ((Boolean) commandLine.parsed(options.find(OptionSet.VERSION).orElseThrow())) {
      return new Invocation.Version();
    }
    commandLine.readFile();
    return new Invocation.Run(commandLine.settings(providers));
  }

  /** Reads the flags; returns whether help was asked for. */
  private boolean readFlags(List<String> args) throws ConfigurationException {
    boolean help = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        if (i + 1 < args.size()) {
          throw unexpected(args.get(i + 1));
        }
        break;
      }
      if (!arg.startsWith("-") || arg.equals("-")) {
        throw unexpected(arg);
      }
      String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
      if (body.isEmpty() || body.startsWith("-") || body.startsWith("=")) {
        throw new ConfigurationException("bad flag syntax: " + arg);
      }
      int equals = body.indexOf('=');
      String name = equals < 0 ? body : body.substring(0, equals);
      String text = equals < 0 ? null : body.substring(equals + 1);
      if (name.equals("h") || name.equals("help")) {
        help = true;
        continue;
      }
      Flag flag =
          options.find(name).orElseThrow(() -> new ConfigurationException(unknownFlag(name)));
      if (text == null) {
        if (flag.isBoolean()) {
          text = "true";
        } else if (i + 1 < args.size()) {
          text = args.get(++i);
        } else {
          throw new ConfigurationException("flag needs a value: -" + name);
        }
      }
      flags.put(name, new Value(text, "-" + name));
    }
    return help;
  }

  private String unknownFlag(String name) {
    if (name.startsWith("task-")
        && options.taskNames().stream()
            .noneMatch(task -> name.startsWith(OptionSet.taskPrefix(task)))) {
      // Most likely a task whose plugin jar is missing from lib/.
      return "unknown flag -"
          + name
          + (options.taskNames().isEmpty()
              ? " (no such task; no task is installed)"
              : " (no such task; the known tasks are "
                  + String.join(", ", options.taskNames())
                  + ")");
    }
    return "unknown flag -" + name + " (see -h)";
  }

  private static ConfigurationException unexpected(String arg) {
    String lower = arg.toLowerCase(Locale.ROOT);
    String hint =
        lower.equals("true") || lower.equals("false")
            ? " (give a boolean flag its value as -name=" + lower + ")"
            : " (every option is a flag, see -h)";
    return new ConfigurationException("unexpected argument \"" + arg + "\"" + hint);
  }

  private void readFile() throws ConfigurationException {
    Value configFile = flags.get(OptionSet.CONFIG_FILE);
    if (configFile == null) {
      String fromEnv = env.get("PLANET_CONFIG_FILE");
      configFile =
          fromEnv == null || fromEnv.isEmpty() ? null : new Value(fromEnv, "PLANET_CONFIG_FILE");
    }
    if (configFile != null && !configFile.text().isEmpty()) {
      fileName = configFile.text();
      file = ConfigFile.read(Path.of(fileName), options);
    }
  }

  /** The value's text by precedence flag, environment, file; empty when none is given. */
  private Optional<Value> given(Flag flag) {
    Value value = flags.get(flag.name());
    if (value != null || !flag.configurable()) {
      return Optional.ofNullable(value);
    }
    String fromEnv = env.get(flag.envName());
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return Optional.of(new Value(fromEnv, flag.envName()));
    }
    String fromFile = file.get(flag.name());
    if (fromFile != null) {
      return Optional.of(new Value(fromFile, fileName + ": " + flag.name()));
    }
    return Optional.empty();
  }

  private Value value(Flag flag) {
    return given(flag).orElse(new Value(flag.defaultValue(), "default of -" + flag.name()));
  }

  private Object parsed(Flag flag) throws ConfigurationException {
    return parse(flag, value(flag));
  }

  private static Object parse(Flag flag, Value value) throws ConfigurationException {
    try {
      return flag.read(value.text());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(value.source() + ": " + e.getMessage(), e);
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
    String listen = string(OptionSet.LISTEN_ADDRESS);
    int colon = listen.lastIndexOf(':');
    if (colon < 0) {
      throw new ConfigurationException(
          source(OptionSet.LISTEN_ADDRESS) + ": \"" + listen + "\" is not host:port");
    }
    String host = listen.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new ConfigurationException(
          source(OptionSet.LISTEN_ADDRESS) + ": bad port in \"" + listen + "\"");
    }
    LogSettings log =
        new LogSettings(
            level(string(OptionSet.LOG_LEVEL)),
            logFormat(string(OptionSet.LOG_FORMAT)),
            !(Boolean) values.get(OptionSet.LOG_DISABLE_TIMESTAMP),
            !(Boolean) values.get(OptionSet.LOG_DISABLE_COLORS));
    List<TaskSpec> tasks = new ArrayList<>();
    for (TaskProvider provider : providers.all()) {
      String prefix = OptionSet.taskPrefix(provider.name());
      if (!(Boolean) values.get(prefix + "enabled")) {
        continue;
      }
      Flag intervalFlag = flag(prefix + "interval");
      Duration interval =
          given(intervalFlag).isPresent()
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
        Optional<Value> given = given(flag);
        given.ifPresent(value -> texts.put(option.name(), value.text()));
        origins.put(option.name(), given.map(Value::source).orElse("-" + flag.name()));
      }
      OptionOrigins located = new OptionOrigins(provider.name(), origins);
      try {
        // The very reading a plugin's test does with the test kit.
        TaskConfig config = TaskConfig.parse(provider.options(), texts, interval, (int) maxSeries);
        tasks.add(new TaskSpec(provider, config, located));
      } catch (ConfigurationException e) {
        throw located.locate(e);
      }
    }
    String webConfig = string(OptionSet.WEB_CONFIG_FILE);
    return new Settings(
        host,
        port,
        log,
        taskInterval,
        primaryIp(string(OptionSet.PRIMARY_IP)),
        tasks,
        webConfig.isEmpty() ? Optional.empty() : Optional.of(Path.of(webConfig)));
  }

  private String source(String name) {
    return value(flag(name)).source();
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

  /** An IP literal; never a name, so that no DNS query is made. */
  private Optional<InetAddress> primaryIp(String text) throws ConfigurationException {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddresses.forString(text));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          source(OptionSet.PRIMARY_IP) + ": \"" + text + "\" is not an IP address", e);
    }
  }
}
