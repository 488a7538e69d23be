package io.planetexporter.server;

import static java.util.Objects.requireNonNull;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What was built: the version and the git revision and branch it was built from ({@code unknown}
 * when built outside a git checkout), read from the resource the build writes.
 *
 * @param version the Maven project version
 * @param revision the abbreviated git commit
 * @param branch the git branch
 * @param javaVersion the version of the running JVM
 */
record BuildInfo(String version, String revision, String branch, String javaVersion) {

  BuildInfo {
    requireNonNull(version, "version");
    requireNonNull(revision, "revision");
    requireNonNull(branch, "branch");
    requireNonNull(javaVersion, "javaVersion");
  }

  static BuildInfo load() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException ignored) {
      // an unreadable resource leaves every field "unknown"
    }
    return new BuildInfo(
        properties.getProperty("version", "unknown"),
        properties.getProperty("revision", "unknown"),
        properties.getProperty("branch", "unknown"),
        System.getProperty("java.version", "unknown"));
  }

  /** The text of {@code -version}. */
  String versionText() {
    return "planet-exporter, version "
        + version
        + " (branch: "
        + branch
        + ", revision: "
        + revision
        + ")\n  java version: "
        + javaVersion
        + "\n";
  }

  /** {@code planet_exporter_build_info{version,revision,branch,javaversion} 1}. */
  MetricSnapshot metric() {
    return GaugeSnapshot.builder()
        .name("planet_exporter_build_info")
        .help("The version, revision and branch planet-exporter was built from, and its Java.")
        .dataPoint(
            GaugeDataPointSnapshot.builder()
                .labels(
                    Labels.of(
                        "version", version,
                        "revision", revision,
                        "branch", branch,
                        "javaversion", javaVersion))
                .value(1)
                .build())
        .build();
  }
}
