package io.planetexporter.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.planetexporter.testfixtures.Distribution;
import io.planetexporter.testfixtures.ExporterProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The unit in the tarball: what it starts exists there, and the capabilities it grants are enough
 * for an unprivileged user to name the process owning another user's socket (here root's: this
 * test's own listener). Run as user nobody with {@code setpriv}, as systemd would.
 */
class SystemdUnitIT {

  private static final String NOBODY = "65534";

  private static Path home;
  private static String unit;

  @BeforeAll
  static void unpack() throws IOException {
    home = Distribution.unpackToTemporaryDirectory();
    // The temporary directory is root's and 0700; user nobody must be able to read the program.
    Files.setPosixFilePermissions(home.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    unit = Files.readString(home.resolve("systemd/planet-exporter.service"));
  }

  @Nested
  class Unit {

    @Test
    void startsTheTarballsLauncherWithItsConfigFileAsAnUnprivilegedUser() {
      assertThat(setting("ExecStart"))
          .isEqualTo(
              "/opt/planet-exporter/bin/planet-exporter"
                  + " -config.file=/opt/planet-exporter/conf/planet-exporter.properties");
      assertThat(home.resolve("bin/planet-exporter")).isExecutable();
      assertThat(home.resolve("conf/planet-exporter.properties")).isRegularFile();
      assertThat(setting("User")).isEqualTo("planet-exporter");
      assertThat(setting("NoNewPrivileges")).isEqualTo("true");
      assertThat(setting("CapabilityBoundingSet")).isEqualTo(setting("AmbientCapabilities"));
    }
  }

  @Nested
  class Capabilities {

    @Test
    void letAnUnprivilegedUserNameTheProcessOfRootsSocket() throws IOException {
      assertThat(ownerOfRootsListenerSeenBy(capabilities(setting("AmbientCapabilities"))))
          .isEqualTo("java");
    }

    @Test
    void eachOfThemIsNeeded() throws IOException {
      String granted = capabilities(setting("AmbientCapabilities"));
      for (String capability : granted.replace(NET_ADMIN, "").split("(?=,)")) {
        assertThat(ownerOfRootsListenerSeenBy(granted.replace(capability, "")))
            .as("process_name without %s", capability)
            .isEmpty();
      }
    }

    /**
     * This kernel lets any user join the sock_diag destroy groups; {@code CAP_NET_ADMIN} buys the
     * event socket a receive buffer beyond {@code net.core.rmem_max}, so bursts of closing
     * connections do not overrun it.
     */
    @Test
    void netAdminGivesTheDestroyEventsTheirLargeReceiveBuffer() throws IOException {
      String granted = capabilities(setting("AmbientCapabilities"));
      assertThat(granted).contains(NET_ADMIN);

      String with = scrapeAsNobodyWith(granted);
      String without = scrapeAsNobodyWith(granted.replace(NET_ADMIN, ""));

      assertThat(with).contains("planet_socketstat_bytes_mode{mode=\"destroy_events\"} 1.0");
      assertThat(without).contains("planet_socketstat_bytes_mode{mode=\"destroy_events\"} 1.0");
      assertThat(value(with, "planet_socketstat_destroy_events_buffer_bytes")).isEqualTo(32L << 20);
      // Without it: twice net.core.rmem_max, whatever this machine's is.
      assertThat(value(without, "planet_socketstat_destroy_events_buffer_bytes"))
          .isBetween(1L, (32L << 20) - 1);
    }

    private static long value(String text, String metric) {
      Matcher line = Pattern.compile("(?m)^" + metric + " (\\S+)$").matcher(text);
      assertThat(line.find()).as(metric).isTrue();
      return (long) Double.parseDouble(line.group(1));
    }
  }

  private static final String NET_ADMIN = ",+net_admin";

  /**
   * Starts the exporter as user nobody with only {@code capabilities} (setpriv syntax, e.g. {@code
   * +sys_ptrace}) and returns the process_name it serves for a listener of this (root's) JVM.
   */
  private static String ownerOfRootsListenerSeenBy(String capabilities) throws IOException {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String bind = "127.0.0.1:" + listener.getLocalPort();
      Matcher series =
          Pattern.compile(
                  "planet_server_process\\{bind=\""
                      + Pattern.quote(bind)
                      + "\",[^}]*process_name=\"([^\"]*)\"")
              .matcher(scrapeAsNobodyWith(capabilities));
      assertThat(series.find()).as("a planet_server_process series for %s", bind).isTrue();
      return series.group(1);
    }
  }

  /** Starts the exporter as user nobody with only {@code capabilities}; its first scrape. */
  private static String scrapeAsNobodyWith(String capabilities) {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "needs root to start the exporter as another user");
    String caps = "-all" + capabilities;
    try (ExporterProcess exporter =
        ExporterProcess.builder()
            .home(home)
            .prefix(
                "setpriv",
                "--reuid=" + NOBODY,
                "--regid=" + NOBODY,
                "--clear-groups",
                "--inh-caps=" + caps,
                "--ambient-caps=" + caps,
                "--bounding-set=" + caps,
                "--no-new-privs")
            .start()) {
      exporter.awaitReady(Duration.ofSeconds(90));
      return exporter.scrape();
    }
  }

  /** {@code CAP_SYS_PTRACE CAP_DAC_READ_SEARCH} as setpriv wants it: {@code ,+sys_ptrace,...}. */
  private static String capabilities(String unitValue) {
    return Arrays.stream(unitValue.split(" "))
        .map(cap -> ",+" + cap.toLowerCase(Locale.ROOT).replaceFirst("^cap_", ""))
        .collect(Collectors.joining());
  }

  private static String setting(String name) {
    Matcher setting = Pattern.compile("(?m)^" + name + "=(.*)$").matcher(unit);
    assertThat(setting.find()).as("%s= in the unit", name).isTrue();
    return setting.group(1).strip();
  }
}
