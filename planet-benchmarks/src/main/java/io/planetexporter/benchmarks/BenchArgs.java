package io.planetexporter.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/** The command line of a benchmark driver: {@code --name value} pairs. */
final class BenchArgs {

  private BenchArgs() {}

  static Map<String, String> parse(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }
}
