package io.planetexporter.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and memory of one process, from {@code /proc/<pid>/stat} and {@code status}.
 *
 * @param cpuMillis user + system time so far
 * @param rssKib resident set size now ({@code VmRSS})
 * @param peakRssKib highest resident set size so far ({@code VmHWM})
 */
record ProcessUsage(double cpuMillis, long rssKib, long peakRssKib) {
  /** USER_HZ, which the kernel uses for /proc/<pid>/stat on every architecture Java runs on. */
  static final int CLOCK_TICKS_PER_SECOND = 100;

  static ProcessUsage read(Path procRoot, long pid) throws IOException {
    Path dir = procRoot.resolve(Long.toString(pid));
    return parse(Files.readString(dir.resolve("stat")), Files.readString(dir.resolve("status")));
  }

  static ProcessUsage parse(String stat, String status) {
    return new ProcessUsage(cpuMillis(stat), kib(status, "VmRSS:"), kib(status, "VmHWM:"));
  }

  /** User + system time of a process's or thread's {@code stat}. */
  static double cpuMillis(String stat) {
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * 1000.0 / CLOCK_TICKS_PER_SECOND;
  }

  private static long kib(String status, String key) {
    return status
        .lines()
        .filter(line -> line.startsWith(key))
        .map(line -> line.substring(key.length()).trim().split(" ")[0])
        .mapToLong(Long::parseLong)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no " + key + " in status"));
  }
}
