package io.planetexporter.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.planetexporter.testfixtures.Distribution;
import io.planetexporter.testfixtures.ExporterProcess;
import io.planetexporter.testfixtures.TestHttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The units in the tarball: what they start exists there, and the exporter's capabilities are
 * enough for an unprivileged user to name the process owning another user's socket (here root's:
 * this test's own listener). Run as user nobody with {@code setpriv}, as systemd would.
 *
 * <p>systemd is not PID 1 where the tests run (a container), so the sandboxes are not started by
 * systemd: {@code systemd-analyze verify} checks both files, {@code systemd-analyze security
 * --offline=yes} measures their exposure (the operator guide's figures), each program runs under
 * {@code strace} to show that every system call it makes and every socket family it opens passes
 * its unit's filters, and planet-map runs with {@code /proc} mounted the way {@code ProtectProc}
 * and {@code ProcSubset} mount it and a read-only root, as user nobody without any capability.
 */
class SystemdUnitIT {

  private static final String NOBODY = "65534";
  private static final String EXPORTER = "planet-exporter";
  private static final String MAP = "planet-map";

  private static Path home;
  private static String unit;
  private static String mapUnit;

  @BeforeAll
  static void unpack() throws IOException {
    home = Distribution.unpackToTemporaryDirectory();
    // The temporary directory is root's and 0700; user nobody must be able to read the program.
    Files.setPosixFilePermissions(home.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    unit = unitText(EXPORTER);
    mapUnit = unitText(MAP);
  }

  @Nested
  class Unit {

    @Test
    void startsTheTarballsLauncherWithItsConfigFileAsAnUnprivilegedUser() {
      assertThat(setting(unit, "ExecStart"))
          .isEqualTo(
              "/opt/planet-exporter/bin/planet-exporter"
                  + " -config.file=/opt/planet-exporter/conf/planet-exporter.properties");
      assertThat(home.resolve("bin/planet-exporter")).isExecutable();
      assertThat(home.resolve("conf/planet-exporter.properties")).isRegularFile();
      assertThat(setting(unit, "User")).isEqualTo("planet-exporter");
      assertThat(setting(unit, "NoNewPrivileges")).isEqualTo("true");
      assertThat(setting(unit, "CapabilityBoundingSet"))
          .isEqualTo(setting(unit, "AmbientCapabilities"));
    }
  }

  @Nested
  class Capabilities {

    @Test
    void letAnUnprivilegedUserNameTheProcessOfRootsSocket() throws IOException {
      assertThat(ownerOfRootsListenerSeenBy(capabilities(setting(unit, "AmbientCapabilities"))))
          .isEqualTo("java");
    }

    @Test
    void eachOfThemIsNeeded() throws IOException {
      String granted = capabilities(setting(unit, "AmbientCapabilities"));
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
      String granted = capabilities(setting(unit, "AmbientCapabilities"));
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

  @Nested
  class MapUnit {

    @Test
    void startsTheTarballsMapAsAnUnprivilegedUserWithoutCapabilities() {
      assertThat(setting(mapUnit, "ExecStart"))
          .startsWith("/opt/planet-exporter/bin/planet-map -prometheus-url=");
      assertThat(home.resolve("bin/planet-map")).isExecutable();
      assertThat(setting(mapUnit, "User")).isEqualTo(MAP);
      assertThat(setting(mapUnit, "CapabilityBoundingSet")).isEmpty();
      assertThat(setting(mapUnit, "AmbientCapabilities")).isEmpty();
      assertThat(setting(mapUnit, "NoNewPrivileges")).isEqualTo("true");
      assertThat(setting(mapUnit, "Restart")).isEqualTo("on-failure");
    }

    /**
     * As user nobody without any capability, in a mount namespace whose {@code /proc} shows only
     * its own processes and no system file ({@code ProtectProc=invisible}, {@code ProcSubset=pid})
     * and whose root is read-only ({@code ProtectSystem=strict}): it serves, and asks Prometheus.
     */
    @Test
    void servesAsNobodyWithoutCapabilitiesInTheUnitsSandbox() throws IOException {
      assumeRoot();
      assertThat(setting(mapUnit, "ProtectProc")).isEqualTo("invisible");
      assertThat(setting(mapUnit, "ProcSubset")).isEqualTo("pid");
      assertThat(setting(mapUnit, "ProtectSystem")).isEqualTo("strict");
      try (ExporterProcess map =
          ExporterProcess.builder()
              .home(home)
              .program(MAP)
              .prefix(
                  "unshare",
                  "--mount",
                  "--pid",
                  "--fork",
                  "--propagation",
                  "private",
                  "sh",
                  "-c",
                  "mount -t proc -o hidepid=invisible,subset=pid proc /proc"
                      + " && mount -o remount,bind,ro / && exec \"$@\"",
                  "sandbox")
              .prefix(asNobodyWith(""))
              .args("-prometheus-url", TestHttpServer.closedPortUri("/").toString())
              .start()) {
        try {
          HttpResponse<String> page = map.get("/");

          assertThat(map.get("/-/healthy").statusCode()).isEqualTo(200);
          assertThat(page.statusCode()).isEqualTo(502);
          assertThat(page.body()).contains("role=\"alert\"", "is unreachable (connection refused)");
        } finally {
          endDescendants(map);
        }
      }
    }

    /** Which is why neither unit asks for it: the JVM cannot start under it. */
    @Test
    void theJvmDoesNotStartUnderMemoryDenyWriteExecute() {
      Path python = Path.of("/usr/bin/python3");
      assumeTrue(Files.isExecutable(python), "needs python3 to set PR_SET_MDWE before exec");
      assertThat(mapUnit).doesNotContainPattern("(?m)^MemoryDenyWriteExecute=");
      assertThat(unit).doesNotContainPattern("(?m)^MemoryDenyWriteExecute=");
      // PR_SET_MDWE (65), PR_MDWE_REFUSE_EXEC_GAIN (1): no mapping may become writable and
      // executable, in this process and in what it executes (Linux 6.3+). What systemd 253+ does
      // for MemoryDenyWriteExecute=true; older ones refuse the same mappings by seccomp.
      String mdwe =
          "import ctypes, os, sys\n"
              + "if sys.argv[1] == 'mdwe' and ctypes.CDLL(None).prctl(65, 1, 0, 0, 0) != 0:\n"
              + "    sys.exit(99)\n"
              + "os.execvp(sys.argv[2], sys.argv[2:])";

      Command.Result without =
          Command.run(home, python.toString(), "-c", mdwe, "-", "java", "-version");
      Command.Result with =
          Command.run(home, python.toString(), "-c", mdwe, "mdwe", "java", "-version");

      assertThat(without.exitCode()).as(without.output()).isZero();
      assumeTrue(with.exitCode() != 99, "this kernel has no PR_SET_MDWE (Linux 6.3+)");
      assertThat(with.exitCode()).isNotZero();
      assertThat(with.output()).contains("Failed to mark memory page as executable");
    }
  }

  @Nested
  class BothUnits {

    @ParameterizedTest
    @ValueSource(strings = {EXPORTER, MAP})
    void passSystemdAnalyzeVerify(String name) throws IOException {
      Path installed = installed(name);

      Command.Result verify =
          Command.run(
              installed.getParent(), "systemd-analyze", "verify", "--man=no", installed.toString());

      assertThat(verify.exitCode()).as(verify.output()).isZero();
      assertThat(verify.output()).isEmpty();
    }

    /** The figure the operator guide gives is the one systemd computes for the file shipped. */
    @ParameterizedTest
    @ValueSource(strings = {EXPORTER, MAP})
    void haveTheExposureTheOperatorGuideGives(String name) throws IOException {
      Path installed = installed(name);

      String security =
          Command.ok(
              installed.getParent(),
              "systemd-analyze",
              "security",
              "--offline=yes",
              "--no-pager",
              installed.toString());

      Matcher measured =
          Pattern.compile("Overall exposure level for " + name + ".service: (\\d+\\.\\d)")
              .matcher(security);
      assertThat(measured.find()).as(security).isTrue();
      Matcher documented =
          Pattern.compile("\\| `" + name + ".service` \\| (\\d+\\.\\d) ")
              .matcher(Files.readString(home.resolve("docs/operator-guide.md")));
      assertThat(documented.find()).as("%s's exposure in docs/operator-guide.md", name).isTrue();
      assertThat(measured.group(1)).isEqualTo(documented.group(1));
    }

    /**
     * Each program, as its unit runs it (user nobody, the unit's capabilities), traced from start
     * to stop through a few requests: every system call is one its unit's {@code SystemCallFilter}
     * allows, every socket of a family its {@code RestrictAddressFamilies} allows.
     */
    @ParameterizedTest
    @ValueSource(strings = {EXPORTER, MAP})
    void makeOnlyTheSystemCallsTheirUnitAllows(String name) throws IOException {
      assumeRoot();
      assumeTrue(Files.isExecutable(Path.of("/usr/bin/strace")), "needs strace");
      String text = unitText(name);
      Path trace = Files.createTempDirectory(home.getParent(), "strace-");
      Files.setPosixFilePermissions(trace, PosixFilePermissions.fromString("rwxrwxrwx"));

      ExporterProcess.Builder program =
          ExporterProcess.builder()
              .home(home)
              .program(name)
              .timeout(Duration.ofSeconds(120))
              .prefix(asNobodyWith(capabilities(setting(text, "AmbientCapabilities"))))
              .prefix(
                  "strace", "--follow-forks", "--quiet=all", "--output=" + trace.resolve("trace"));
      if (name.equals(MAP)) {
        traced(
            program.args("-prometheus-url", TestHttpServer.closedPortUri("/").toString()),
            cleanExits(text),
            map -> {
              assertThat(map.get("/-/healthy").statusCode()).isEqualTo(200);
              assertThat(map.get("/").statusCode()).isEqualTo(502);
              assertThat(map.get("/static/map.js").statusCode()).isEqualTo(200);
            });
      } else {
        traced(
            program.args("-config.file=" + home.resolve("conf/planet-exporter.properties")),
            cleanExits(text),
            exporter -> {
              exporter.awaitReady(Duration.ofSeconds(90));
              exporter.scrape();
              exporter.scrape();
            });
      }
      String calls = Files.readString(trace.resolve("trace"));

      Set<String> made = matches(calls, "(?m)^\\d+ +([a-z0-9_]+)\\(");
      assertThat(made).as("system calls traced").contains("execve", "socket");
      assertThat(made).isSubsetOf(allowedSystemCalls(text));
      assertThat(matches(calls, "(?m)^\\d+ +socket\\((AF_[A-Z0-9]+)"))
          .isSubsetOf(Set.of(setting(text, "RestrictAddressFamilies").split(" ")));
    }

    /** Starts {@code program} (traced), runs {@code requests} against it and stops it. */
    private static void traced(
        ExporterProcess.Builder program,
        Set<Integer> cleanExits,
        Consumer<ExporterProcess> requests) {
      try (ExporterProcess process = program.start()) {
        try {
          requests.accept(process);
        } finally {
          endDescendants(process);
          // strace ends with the program, and exits with its status.
          ProcessHandle.of(process.pid())
              .ifPresent(strace -> strace.onExit().orTimeout(30, TimeUnit.SECONDS).join());
        }
        assertThat(process.stop()).as(process.stderr()).isIn(cleanExits);
      }
    }

    /**
     * The unit's {@code SystemCallFilter}: its first line's groups and calls, less those of the
     * lines that start with {@code ~}, each group as {@code systemd-analyze syscall-filter} gives
     * it (groups within groups expanded).
     */
    private static Set<String> allowedSystemCalls(String text) {
      List<String> lines = settings(text, "SystemCallFilter");
      assertThat(lines).isNotEmpty();
      assertThat(lines.get(0)).doesNotStartWith("~");
      Set<String> allowed = expand(lines.get(0).split(" "));
      for (String denied : lines.subList(1, lines.size())) {
        assertThat(denied).startsWith("~");
        allowed.removeAll(expand(denied.substring(1).split(" ")));
      }
      return allowed;
    }

    private static Set<String> expand(String... names) {
      Set<String> calls = new TreeSet<>();
      for (String name : names) {
        if (!name.startsWith("@")) {
          calls.add(name);
          continue;
        }
        String listing = Command.ok(home, "systemd-analyze", "syscall-filter", "--no-pager", name);
        // The group's name, its description (# ...), then one member a line, indented.
        List<String> members =
            listing
                .lines()
                .skip(1)
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
        assertThat(members).as(listing).isNotEmpty();
        calls.addAll(expand(members.toArray(String[]::new)));
      }
      return calls;
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
    assumeRoot();
    try (ExporterProcess exporter =
        ExporterProcess.builder().home(home).prefix(asNobodyWith(capabilities)).start()) {
      exporter.awaitReady(Duration.ofSeconds(90));
      return exporter.scrape();
    }
  }

  /**
   * setpriv as systemd starts a unit's program: user nobody, only {@code capabilities} (setpriv
   * syntax, e.g. {@code ,+sys_ptrace}; none for empty), no new privileges.
   */
  private static String[] asNobodyWith(String capabilities) {
    String caps = "-all" + capabilities;
    return new String[] {
      "setpriv",
      "--reuid=" + NOBODY,
      "--regid=" + NOBODY,
      "--clear-groups",
      "--inh-caps=" + caps,
      "--ambient-caps=" + caps,
      "--bounding-set=" + caps,
      "--no-new-privs"
    };
  }

  /**
   * SIGTERM to what a prefix ({@code unshare}, {@code strace}) started, and their end: the program
   * would outlive the prefix if the prefix got the signal.
   */
  private static void endDescendants(ExporterProcess process) {
    ProcessHandle.of(process.pid())
        .ifPresent(
            prefix -> {
              List<ProcessHandle> started = prefix.descendants().toList();
              started.forEach(ProcessHandle::destroy);
              started.forEach(each -> each.onExit().orTimeout(30, TimeUnit.SECONDS).join());
            });
  }

  private static void assumeRoot() {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "needs root to start the program as another user");
  }

  /**
   * {@code CAP_SYS_PTRACE CAP_DAC_READ_SEARCH} as setpriv wants it: {@code ,+sys_ptrace,...}; none
   * for an empty value.
   */
  private static String capabilities(String unitValue) {
    return Arrays.stream(unitValue.split(" "))
        .filter(cap -> !cap.isEmpty())
        .map(cap -> ",+" + cap.toLowerCase(Locale.ROOT).replaceFirst("^cap_", ""))
        .collect(Collectors.joining());
  }

  private static String unitText(String name) throws IOException {
    return Files.readString(home.resolve("systemd/" + name + ".service"));
  }

  /**
   * The unit as installed, with the tarball's directory for {@code /opt/planet-exporter}, so that
   * systemd finds what it starts.
   */
  private static Path installed(String name) throws IOException {
    Path dir = Files.createTempDirectory(home.getParent(), "units-");
    Path installed = dir.resolve(name + ".service");
    Files.writeString(installed, unitText(name).replace("/opt/planet-exporter", home.toString()));
    return installed;
  }

  /** 0 and the unit's {@code SuccessExitStatus}: how the program may end on SIGTERM. */
  private static Set<Integer> cleanExits(String text) {
    Set<Integer> clean = new TreeSet<>(Set.of(0));
    settings(text, "SuccessExitStatus")
        .forEach(
            value -> Arrays.stream(value.split(" ")).map(Integer::valueOf).forEach(clean::add));
    return clean;
  }

  private static Set<String> matches(String text, String regex) {
    Set<String> found = new TreeSet<>();
    Matcher matcher = Pattern.compile(regex).matcher(text);
    while (matcher.find()) {
      found.add(matcher.group(1));
    }
    return found;
  }

  private static String setting(String text, String name) {
    List<String> values = settings(text, name);
    assertThat(values).as("%s= once in the unit", name).hasSize(1);
    return values.get(0);
  }

  private static List<String> settings(String text, String name) {
    return Pattern.compile("(?m)^" + name + "=(.*)$")
        .matcher(text)
        .results()
        .map(result -> result.group(1).strip())
        .toList();
  }
}
