package io.planetexporter.web;

/**
 * Where an option's value came from; its text is how an error message names it ({@code
 * -task-interval: invalid duration ...}), so the operator knows which of flag, environment and
 * config file to fix.
 */
public sealed interface Origin {

  /** {@code -name} or {@code --name} on the command line. */
  record CommandLineFlag(String name) implements Origin {
    @Override
    public String toString() {
      return "-" + name;
    }
  }

  /** An environment variable such as {@code PLANET_TASK_INTERVAL}. */
  record EnvironmentVariable(String variable) implements Origin {
    @Override
    public String toString() {
      return variable;
    }
  }

  /** A key of the {@code -config.file}. */
  record ConfigFileKey(String file, String key) implements Origin {
    @Override
    public String toString() {
      return file + ": " + key;
    }
  }

  /** Nobody gave a value: the option's default. */
  record Default(String flag) implements Origin {
    @Override
    public String toString() {
      return "default of -" + flag;
    }
  }
}
