package io.planetexporter.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Times a shell command with bash's {@code time}: wall, user and system, to the millisecond. */
final class CommandTimer {
  private CommandTimer() {}

  /** Runs {@code command} once with its output sent to /dev/null. */
  static Timing time(String command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(
                "bash",
                "-c",
                "TIMEFORMAT='%3R %3U %3S'; time { " + command + " ; } > /dev/null 2>&1")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    String timing = new String(process.getErrorStream().readAllBytes(), StandardCharsets.US_ASCII);
    if (process.waitFor() != 0) {
      throw new IOException("\"" + command + "\" failed: " + timing.strip());
    }
    return parse(timing);
  }

  /** Parses the last line of bash's {@code time} output in the format {@code %3R %3U %3S}. */
  static Timing parse(String timing) {
    List<String> lines = timing.strip().lines().toList();
    String[] fields = lines.get(lines.size() - 1).trim().split(" ");
    if (fields.length != 3) {
      throw new IllegalArgumentException("not a timing line: " + timing);
    }
    double wall = Double.parseDouble(fields[0]) * 1000;
    double cpu = (Double.parseDouble(fields[1]) + Double.parseDouble(fields[2])) * 1000;
    return new Timing(wall, cpu);
  }
}
