package io.planetexporter.benchmarks;

import java.util.stream.Stream;

/** Checks that established connections are attributed to their process in rendered metrics. */
final class Attribution {
  private Attribution() {}

  /**
   * Counts {@code planet_upstream} series to {@code port} whose {@code process_name} is empty. The
   * churn worker closes its server side first, so its clients never hold a TIME_WAIT socket: every
   * upstream socket to its port has an owner, and an empty name is a missed attribution.
   */
  static int unattributedUpstream(String metricsText, int port) {
    return (int) upstream(metricsText, port).filter(Attribution::unattributed).count();
  }

  /** Counts {@code planet_upstream} series to {@code port} with a process name: never 0 if seen. */
  static int attributedUpstream(String metricsText, int port) {
    return (int) upstream(metricsText, port).filter(line -> !unattributed(line)).count();
  }

  private static Stream<String> upstream(String metricsText, int port) {
    String portLabel = "port=\"" + port + "\"";
    return metricsText
        .lines()
        .filter(line -> line.startsWith("planet_upstream{") && line.contains(portLabel));
  }

  private static boolean unattributed(String line) {
    return line.contains("process_name=\"\"");
  }
}
