package io.planetexporter.web;

import io.planetexporter.api.ConfigurationException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where option values come from: the flags, the environment and the {@code -config.file}, in that
 * order of precedence, over the options' defaults. Says what text each option has and where it came
 * from; what the text means is each program's business.
 */
public final class OptionSources {

  /** The flag naming the config file, {@code -config.file}. */
  public static final String CONFIG_FILE = "config.file";

  private static final String CONFIG_FILE_VARIABLE = "PLANET_CONFIG_FILE";

  private final FlagCatalog options;
  private final Map<String, OptionValue> flags;
  private final boolean helpAsked;
  private final Map<String, String> env;
  private final Map<String, String> file;
  private final String fileName;

  private OptionSources(
      FlagCatalog options,
      Map<String, OptionValue> flags,
      boolean helpAsked,
      Map<String, String> env,
      Map<String, String> file,
      String fileName) {
    this.options = options;
    this.flags = Map.copyOf(flags);
    this.helpAsked = helpAsked;
    this.env = env;
    this.file = file;
    this.fileName = fileName;
  }

  /**
   * The flags and the environment; the config file is read by {@link #withConfigFile()}, so that
   * {@code -h} and {@code -version} work whatever the file holds.
   *
   * @param env the environment, e.g. {@link System#getenv()}
   * @throws ConfigurationException when an argument is not a flag, a flag is unknown or lacks its
   *     value
   */
  public static OptionSources read(List<String> args, Map<String, String> env, FlagCatalog options)
      throws ConfigurationException {
    Map<String, OptionValue> flags = new HashMap<>();
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
          options
              .find(name)
              .orElseThrow(() -> new ConfigurationException(options.unknownFlag(name)));
      if (text == null) {
        if (flag.isBoolean()) {
          text = "true";
        } else if (i + 1 < args.size()) {
          text = args.get(++i);
        } else {
          throw new ConfigurationException("flag needs a value: -" + name);
        }
      }
      flags.put(name, new OptionValue(text, new Origin.CommandLineFlag(name)));
    }
    return new OptionSources(options, flags, help, env, Map.of(), "");
  }

  private static ConfigurationException unexpected(String arg) {
    String lower = arg.toLowerCase(Locale.ROOT);
    String hint =
        lower.equals("true") || lower.equals("false")
            ? " (give a boolean flag its value as -name=" + lower + ")"
            : " (every option is a flag, see -h)";
    return new ConfigurationException("unexpected argument \"" + arg + "\"" + hint);
  }

  /** Whether {@code -h} or {@code --help} was among the flags. */
  public boolean helpAsked() {
    return helpAsked;
  }

  /**
   * These sources plus the config file named by {@code -config.file} or {@code PLANET_CONFIG_FILE},
   * if any.
   *
   * @throws ConfigurationException naming the file when it cannot be read, and the key when it is
   *     not an option or is given twice
   */
  public OptionSources withConfigFile() throws ConfigurationException {
    OptionValue configFile = flags.get(CONFIG_FILE);
    if (configFile == null) {
      String fromEnv = env.get(CONFIG_FILE_VARIABLE);
      configFile =
          fromEnv == null || fromEnv.isEmpty()
              ? null
              : new OptionValue(fromEnv, new Origin.EnvironmentVariable(CONFIG_FILE_VARIABLE));
    }
    if (configFile == null || configFile.text().isEmpty()) {
      return this;
    }
    String name = configFile.text();
    return new OptionSources(
        options, flags, helpAsked, env, ConfigFile.read(Path.of(name), options), name);
  }

  /** The option's text by precedence flag, environment, file; empty when none is given. */
  public Optional<OptionValue> given(Flag flag) {
    OptionValue value = flags.get(flag.name());
    if (value != null || !flag.configurable()) {
      return Optional.ofNullable(value);
    }
    String fromEnv = env.get(flag.envName());
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return Optional.of(new OptionValue(fromEnv, new Origin.EnvironmentVariable(flag.envName())));
    }
    String fromFile = file.get(flag.name());
    if (fromFile != null) {
      return Optional.of(
          new OptionValue(fromFile, new Origin.ConfigFileKey(fileName, flag.name())));
    }
    return Optional.empty();
  }

  /** The option's text as given, else its default. */
  public OptionValue value(Flag flag) {
    return given(flag)
        .orElse(new OptionValue(flag.defaultValue(), new Origin.Default(flag.name())));
  }
}
