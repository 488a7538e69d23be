package io.planetexporter.task.socketstat.netlink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many sockets a dump of the calling thread's network namespace will list, from the kernel's
 * counts in {@code /proc/thread-self/net/sockstat} and {@code sockstat6}: TCP in use and in
 * TIME_WAIT, UDP in use, of both families.
 *
 * <p>Why: the first table of a namespace is sized from it instead of doubling its columns from
 * nothing, which at 80,000 sockets made some 20 MiB of arrays to copy and collect during the first
 * collection (docs/benchmarks-history.md, "Owner map, fd reads and the first table").
 */
final class Sockstat {

  private static final Path SOCKSTAT = Path.of("/proc/thread-self/net/sockstat");
  private static final Path SOCKSTAT6 = Path.of("/proc/thread-self/net/sockstat6");

  private Sockstat() {}

  /** The sockets of the calling thread's namespace, or 0 when the counts cannot be read. */
  static int expectedSockets() {
    try {
      return expectedSockets(Files.readString(SOCKSTAT), Files.readString(SOCKSTAT6));
    } catch (IOException | RuntimeException e) {
      return 0; // the columns grow as they fill
    }
  }

  /**
   * The sockets the two files count: {@code TCP: inuse} and {@code tw}, {@code UDP: inuse}, {@code
   * TCP6: inuse}, {@code UDP6: inuse}; a field or line that is missing or not a number counts 0.
   */
  static int expectedSockets(String sockstat, String sockstat6) {
    long sockets =
        field(sockstat, "TCP:", "inuse")
            + field(sockstat, "TCP:", "tw")
            + field(sockstat, "UDP:", "inuse")
            + field(sockstat6, "TCP6:", "inuse")
            + field(sockstat6, "UDP6:", "inuse");
    return (int) Math.min(sockets, Integer.MAX_VALUE / 2);
  }

  /** The number after {@code name} on the line that starts with {@code line}, or 0. */
  private static long field(String text, String line, String name) {
    for (String each : text.split("\n")) {
      String[] words = each.trim().split(" +");
      if (words[0].equals(line)) {
        for (int i = 1; i + 1 < words.length; i += 2) {
          if (words[i].equals(name)) {
            try {
              return Math.max(0, Long.parseLong(words[i + 1]));
            } catch (NumberFormatException e) {
              return 0;
            }
          }
        }
      }
    }
    return 0;
  }
}
