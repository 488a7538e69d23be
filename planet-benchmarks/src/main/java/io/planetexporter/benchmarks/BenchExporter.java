package io.planetexporter.benchmarks;

import io.planetexporter.testfixtures.ExporterProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The real exporter as the harnesses measure it: started from an unpacked tarball with {@code
 * bin/planet-exporter} (so with the JVM flags it ships, unless told otherwise), read through curl
 * and {@code /proc}.
 */
final class BenchExporter {

  private BenchExporter() {}

  /**
   * Starts {@code <home>/bin/planet-exporter} and returns once it serves HTTP.
   *
   * @param javaOpts JVM options instead of the shipped ones ({@code PLANET_EXPORTER_JAVA_OPTS}), or
   *     null to run with the shipped ones
   */
  static ExporterProcess start(Path home, String javaOpts, List<String> args) {
    ExporterProcess.Builder builder =
        ExporterProcess.builder()
            .home(home)
            .args(args.toArray(String[]::new))
            .timeout(Duration.ofSeconds(120));
    if (javaOpts != null) {
      builder.env("PLANET_EXPORTER_JAVA_OPTS", javaOpts);
    }
    return builder.start();
  }

  /** CPU time and memory of the exporter's JVM so far. */
  static ProcessUsage usage(ExporterProcess exporter) throws IOException {
    return ProcessUsage.read(Path.of("/proc"), exporter.pid());
  }

  /**
   * GETs a path with curl, as a scraper would; fails on any status but 200. Not Java's HttpClient:
   * on loopback here it adds about 40 ms to every request (curl and Go clients do not).
   */
  static Fetched get(ExporterProcess exporter, String path)
      throws IOException, InterruptedException {
    Process curl =
        new ProcessBuilder(
                "curl",
                "-sS",
                "--fail",
                "--max-time",
                "60",
                "-o",
                "-",
                "-w",
                "\n%{time_total}",
                exporter.uri(path).toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (curl.waitFor() != 0) {
      throw new IOException("GET " + path + ": curl exit status " + curl.exitValue());
    }
    int lastLine = out.lastIndexOf('\n');
    return new Fetched(
        out.substring(0, lastLine), Double.parseDouble(out.substring(lastLine + 1)) * 1000);
  }

  /**
   * One response.
   *
   * @param body the response body
   * @param millis curl's total time, from connect to the last byte
   */
  record Fetched(String body, double millis) {}

  /** Whether /-/ready answers 200 (every enabled task finished its first run). */
  static boolean ready(ExporterProcess exporter) throws InterruptedException {
    try {
      get(exporter, "/-/ready");
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
