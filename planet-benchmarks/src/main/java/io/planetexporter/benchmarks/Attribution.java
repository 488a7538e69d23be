package io.planetexporter.benchmarks;

/** Checks that established connections are attributed to their process in rendered metrics. */
final class Attribution {
  private Attribution() {}

  /**
   * Counts {@code planet_upstream} series to {@code port} whose {@code process_name} is empty. The
   * churn worker closes its server side first, so its clients never hold a TIME_WAIT socket: every
   * upstream socket to its port has an owner, and an empty name is a missed attribution.
   */
  static int unattributedUpstream(String metricsText, int port) {
    String portLabel = "port=\"" + port + "\"";
    return (int)
        metricsText
            .lines()
            .filter(line -> line.startsWith("planet_upstream{"))
            .filter(line -> line.contains(portLabel) && line.contains("process_name=\"\""))
            .count();
  }
}
