package io.planetexporter.dist;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Cgroups that the root ITs make to stand for containers and units: where to make them, how to
 * start a process in one (joining the cgroup before {@code ip netns exec}, which remounts {@code
 * /sys}), and their removal.
 */
final class TestCgroups {

  private TestCgroups() {}

  /** A shell that moves itself into {@code cgroup}, then becomes the helper in {@code ns}. */
  static List<String> inCgroup(Path cgroup, String ns) {
    return List.of(
        "sh",
        "-c",
        "echo $$ > \"$0\" && exec \"$@\"",
        cgroup.resolve("cgroup.procs").toString(),
        "ip",
        "netns",
        "exec",
        ns);
  }

  /**
   * Where to make the test's cgroups: the cgroup v2 hierarchy (pure or hybrid), else systemd's
   * named v1 one; null when neither is mounted.
   */
  static Path hierarchy() throws IOException {
    Path v1 = null;
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), UTF_8)) {
      String[] fields = line.split(" ");
      int dash = List.of(fields).indexOf("-");
      if (dash < 0 || dash + 3 >= fields.length + 1) {
        continue;
      }
      String type = fields[dash + 1];
      if (type.equals("cgroup2")) {
        return Path.of(fields[4]);
      }
      if (type.equals("cgroup") && fields[dash + 3].contains("name=systemd")) {
        v1 = Path.of(fields[4]);
      }
    }
    return v1;
  }

  /** Removes the test's cgroups, deepest first, once their processes have gone. */
  static void remove(Path top) throws Exception {
    if (!Files.isDirectory(top)) {
      return;
    }
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(top)) {
      walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).forEach(dirs::add);
    }
    for (Path dir : dirs) {
      // A cgroup whose last process has just been reaped may still count it for a moment.
      Instant deadline = Instant.now().plusSeconds(10);
      while (true) {
        try {
          Files.delete(dir);
          break;
        } catch (IOException e) {
          if (Instant.now().isAfter(deadline)) {
            throw e;
          }
          Thread.sleep(100);
        }
      }
    }
  }
}
