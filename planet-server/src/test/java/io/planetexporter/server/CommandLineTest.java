package io.planetexporter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.TaskConfig;
import io.planetexporter.collector.ProviderLoader;
import io.planetexporter.collector.TaskProviders;
import io.planetexporter.net.IpAddress;
import io.planetexporter.web.LogSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {

  @TempDir Path dir;

  private static Invocation parse(Map<String, String> env, String... args)
      throws ConfigurationException {
    return CommandLine.parse(
        List.of(args), env, TaskProviders.discover(ProviderLoader.of(TestFetchTask.provider())));
  }

  private static Settings settings(Map<String, String> env, String... args)
      throws ConfigurationException {
    Invocation invocation = parse(env, args);
    assertThat(invocation).isInstanceOf(Invocation.Run.class);
    return ((Invocation.Run) invocation).settings();
  }

  private static Settings settings(String... args) throws ConfigurationException {
    return settings(Map.of(), args);
  }

  private static TaskConfig fetchConfig(Settings settings) {
    assertThat(settings.tasks()).hasSize(1);
    return settings.tasks().get(0).config();
  }

  private Path file(String content) throws IOException {
    Path file = dir.resolve("planet-exporter.properties");
    Files.writeString(file, content);
    return file;
  }

  @Nested
  class Defaults {

    @Test
    void areTheGoProgramsWithoutAnyOption() throws ConfigurationException {
      Settings settings = settings();

      assertThat(settings.listenHost()).isEqualTo("0.0.0.0");
      assertThat(settings.listenPort()).isEqualTo(19100);
      assertThat(settings.taskInterval()).isEqualTo(Duration.ofSeconds(7));
      assertThat(settings.log()).isEqualTo(new LogSettings(Level.INFO, false, true, true));
      assertThat(settings.primaryIp()).isEmpty();
      assertThat(settings.tasks()).isEmpty();
      assertThat(settings.connectionsPerAddress()).isEqualTo(64);
    }

    @Test
    void giveATaskTheIntervalItsProviderDerivesFromTheTaskInterval() throws ConfigurationException {
      TaskConfig config = fetchConfig(settings("-task-fetch-enabled", "-task-fetch-addr=x"));

      assertThat(config.interval()).isEqualTo(Duration.ofSeconds(35));
      assertThat(config.duration("timeout")).isEqualTo(Duration.ofSeconds(5));
      assertThat(config.bytes("max-size")).isEqualTo(64L << 20);
    }

    @Test
    void derivedIntervalFollowsTheTaskInterval() throws ConfigurationException {
      TaskConfig config =
          fetchConfig(settings("-task-interval=2s", "-task-fetch-enabled", "-task-fetch-addr=x"));

      assertThat(config.interval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void giveEveryTaskASeriesBudgetOfTenThousandUnlessToldOtherwise()
        throws ConfigurationException {
      assertThat(fetchConfig(settings("-task-fetch-enabled", "-task-fetch-addr=x")).maxSeries())
          .isEqualTo(10_000);
      assertThat(
              fetchConfig(
                      settings(
                          "-task-fetch-enabled", "-task-fetch-addr=x", "-task-fetch-max-series=50"))
                  .maxSeries())
          .isEqualTo(50);
    }
  }

  @Nested
  class FlagForms {

    @ParameterizedTest
    @ValueSource(strings = {"-task-interval=1m30s", "--task-interval=1m30s"})
    void acceptsOneOrTwoDashesWithEquals(String arg) throws ConfigurationException {
      assertThat(settings(arg).taskInterval()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void acceptsTheValueAsTheNextArgument() throws ConfigurationException {
      assertThat(settings("-task-interval", "500ms").taskInterval())
          .isEqualTo(Duration.ofMillis(500));
      assertThat(settings("--listen-address", "127.0.0.1:0").listenPort()).isZero();
    }

    @Test
    void takesABooleanWithoutValueAsTrue() throws ConfigurationException {
      assertThat(settings("-log-disable-timestamp").log().timestamps()).isFalse();
      assertThat(settings("--log-disable-timestamp").log().timestamps()).isFalse();
    }

    @Test
    void readsABooleansValueAfterEquals() throws ConfigurationException {
      assertThat(settings("-log-disable-timestamp=false").log().timestamps()).isTrue();
      assertThat(settings("-log-disable-timestamp=true").log().timestamps()).isFalse();
    }

    @Test
    void letsTheLastOfARepeatedFlagWin() throws ConfigurationException {
      assertThat(settings("-task-interval=1s", "-task-interval=2s").taskInterval())
          .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void readsAnIpv6ListenAddress() throws ConfigurationException {
      Settings settings = settings("-listen-address=[::1]:9100");

      assertThat(settings.listenHost()).isEqualTo("::1");
      assertThat(settings.listenPort()).isEqualTo(9100);
    }

    @Test
    void readsAListenAddressWithoutHostAsEveryInterface() throws ConfigurationException {
      Settings settings = settings("-listen-address=:0");

      assertThat(settings.listenHost()).isEmpty();
      assertThat(settings.listenPort()).isZero();
    }

    @Test
    void acceptsTheGoProgramsLogLevelNames() throws ConfigurationException {
      assertThat(settings("-log-level=warning").log().level()).isEqualTo(Level.WARNING);
      assertThat(settings("-log-level=trace").log().level()).isEqualTo(Level.FINEST);
    }

    @Test
    void readsThePrimaryIpOverride() throws Exception {
      assertThat(settings("-primary-ip=198.18.0.5").primaryIp())
          .contains(IpAddress.parse("198.18.0.5"));
      assertThat(settings("-primary-ip=fd00::5").primaryIp()).contains(IpAddress.parse("fd00::5"));
    }

    @Test
    void readsTheCapOfConnectionsPerAddress() throws ConfigurationException {
      assertThat(settings("-web.max-connections-per-address=500").connectionsPerAddress())
          .isEqualTo(500);
      assertThat(
              settings(Map.of("PLANET_WEB_MAX_CONNECTIONS_PER_ADDRESS", "8"))
                  .connectionsPerAddress())
          .isEqualTo(8);
    }

    @Test
    void readsLogSettings() throws ConfigurationException {
      assertThat(settings("-log-level=debug", "-log-format", "json", "-log-disable-colors").log())
          .isEqualTo(new LogSettings(Level.FINE, true, true, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-h", "--help", "-help"})
    void asksForHelp(String arg) throws ConfigurationException {
      assertThat(parse(Map.of(), "-task-interval=1s", arg)).isInstanceOf(Invocation.Help.class);
    }

    @Test
    void asksForTheVersion() throws ConfigurationException {
      assertThat(parse(Map.of(), "-version")).isInstanceOf(Invocation.Version.class);
    }
  }

  @Nested
  class Precedence {

    private final Map<String, String> env =
        Map.of("PLANET_TASK_INTERVAL", "20s", "PLANET_TASK_FETCH_ADDR", "http://env");

    @Test
    void flagWinsOverEnvironmentAndFile() throws Exception {
      Path file = file("task-interval=30s\n");

      assertThat(settings(env, "-config.file=" + file, "-task-interval=10s").taskInterval())
          .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void environmentWinsOverFile() throws Exception {
      Path file = file("task-interval=30s\ntask-fetch-enabled=true\ntask-fetch-addr=http://file\n");

      Settings settings = settings(env, "-config.file", file.toString());

      assertThat(settings.taskInterval()).isEqualTo(Duration.ofSeconds(20));
      assertThat(fetchConfig(settings).string("addr")).isEqualTo("http://env");
    }

    @Test
    void fileWinsOverDefault() throws Exception {
      Path file = file("# comment\ntask-interval = 30s\nlog-level=warn\n");

      Settings settings = settings("-config.file=" + file);

      assertThat(settings.taskInterval()).isEqualTo(Duration.ofSeconds(30));
      assertThat(settings.log().level()).isEqualTo(Level.WARNING);
    }

    @Test
    void takesFileValuesLiterally() throws Exception {
      Path file = file("task-fetch-enabled=true\ntask-fetch-addr=http://h/${HOME}/a,b\\\\c\n");

      assertThat(fetchConfig(settings("-config.file=" + file)).string("addr"))
          .isEqualTo("http://h/${HOME}/a,b\\c");
    }

    @Test
    void findsTheFileThroughTheEnvironment() throws Exception {
      Path file = file("task-interval=30s\n");

      assertThat(settings(Map.of("PLANET_CONFIG_FILE", file.toString())).taskInterval())
          .isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void ignoresAnEmptyEnvironmentVariable() throws ConfigurationException {
      assertThat(settings(Map.of("PLANET_TASK_INTERVAL", "")).taskInterval())
          .isEqualTo(Duration.ofSeconds(7));
    }
  }

  @Nested
  class Errors {

    private void assertError(Map<String, String> env, String message, String... args) {
      assertThatThrownBy(() -> parse(env, args))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(message);
    }

    private void assertError(String message, String... args) {
      assertError(Map.of(), message, args);
    }

    @Test
    void namesAnUnknownFlag() {
      assertError("unknown flag -listen-adress (see -h)", "-listen-adress=:1");
      assertError("unknown flag -task-fetch-adr (see -h)", "-task-fetch-adr=x");
      assertError(
          "unknown flag -task-nope-enabled (no such task; the known tasks are fetch)",
          "--task-nope-enabled");
    }

    @Test
    void namesTheFlagOfABadValue() {
      assertError(
          "-task-interval: invalid duration \"7\" (want e.g. 7s, 1m30s, 500ms)",
          "-task-interval=7");
      assertError(
          "-task-fetch-max-size: invalid size \"lots\" (want e.g. 65536, 512KiB, 64MiB)",
          "-task-fetch-max-size",
          "lots");
      assertError(
          "-log-disable-colors: invalid boolean \"yes\" (want true or false)",
          "-log-disable-colors=yes");
    }

    @Test
    void namesTheEnvironmentVariableOfABadValue() {
      assertError(
          Map.of("PLANET_TASK_INTERVAL", "soon"),
          "PLANET_TASK_INTERVAL: invalid duration \"soon\" (want e.g. 7s, 1m30s, 500ms)");
    }

    @Test
    void namesTheFileAndKeyOfABadValue() throws Exception {
      Path file = file("task-interval=soon\n");

      assertError(
          file + ": task-interval: invalid duration \"soon\" (want e.g. 7s, 1m30s, 500ms)",
          "-config.file=" + file);
    }

    @Test
    void rejectsAnUnknownKeyInTheFile() throws Exception {
      Path file = file("task-intervall=7s\n");

      assertError(file + ": unknown key \"task-intervall\" (see -h)", "-config.file=" + file);
    }

    @Test
    void rejectsAKeyGivenTwice() throws Exception {
      Path file = file("task-interval=7s\ntask-interval=8s\n");

      assertError(file + ": key \"task-interval\" is given more than once", "-config.file=" + file);
    }

    @Test
    void rejectsAMissingFile() {
      Path missing = dir.resolve("missing.properties");

      assertError(
          "-config.file: cannot read " + missing + ": no such file", "-config.file=" + missing);
    }

    @Test
    void requiresTheRequiredOptionsOfAnEnabledTask() throws IOException {
      assertError("-task-fetch-addr: required when the task is enabled", "-task-fetch-enabled");
      Path file = file("task-fetch-addr=\n");
      assertError(
          file + ": task-fetch-addr: required when the task is enabled",
          "-task-fetch-enabled",
          "-config.file=" + file);
    }

    @Test
    void refusesAValueNotAllowedNamingWhereItCameFrom() throws IOException {
      assertError(
          "-task-fetch-mode: unknown value \"medium\" (want fast or slow)",
          "-task-fetch-mode=medium");
      assertError(
          Map.of("PLANET_TASK_FETCH_MODE", "medium"),
          "PLANET_TASK_FETCH_MODE: unknown value \"medium\" (want fast or slow)");
      Path file = file("task-fetch-mode=medium\n");
      assertError(
          file + ": task-fetch-mode: unknown value \"medium\" (want fast or slow)",
          "-config.file=" + file);
    }

    @Test
    void refusesAValueItsValidatorRefusesEvenOfADisabledTask() {
      assertError("-task-fetch-retries: at most 3, got 4", "-task-fetch-retries=4");
    }

    @Test
    void doesNotRequireTheOptionsOfADisabledTask() throws ConfigurationException {
      assertThat(settings("-task-fetch-enabled=false").tasks()).isEmpty();
    }

    @Test
    void refusesAFlagWithoutItsValue() {
      assertError("flag needs a value: -task-interval", "-task-interval");
    }

    @Test
    void refusesAnArgumentThatIsNoFlag() {
      assertError(
          "unexpected argument \"false\" (give a boolean flag its value as -name=false)",
          "-log-disable-colors",
          "false");
      assertError("unexpected argument \"serve\" (every option is a flag, see -h)", "serve");
    }

    @Test
    void refusesBadGlobalValues() {
      assertError(
          "-log-level: unknown level \"loud\" (want debug, info, warn or error)",
          "-log-level=loud");
      assertError("-log-format: unknown format \"xml\" (want logfmt or json)", "-log-format=xml");
      assertError("-listen-address: \"19100\" is not host:port", "-listen-address=19100");
      assertError("-listen-address: bad port in \"a:99999\"", "-listen-address=a:99999");
      assertError("-task-interval: must be more than 0s", "-task-interval=0s");
      assertError(
          "-web.max-connections-per-address: must be between 1 and 2147483647",
          "-web.max-connections-per-address=0");
      assertError(
          "-task-fetch-max-series: must be between 1 and 2147483647",
          "-task-fetch-enabled",
          "-task-fetch-addr=x",
          "-task-fetch-max-series=0");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"example.com", "1.2.3", "256.1.1.1", "::g", "localhost", "fe80::1%eth0"})
    void refusesAPrimaryIpThatIsNotAnAddressLiteral(String text) {
      assertError("-primary-ip: \"" + text + "\" is not an IP address", "-primary-ip=" + text);
    }
  }

  @Nested
  class Help {

    @Test
    void listsEveryOptionWithItsDefault() throws ConfigurationException {
      String help = ((Invocation.Help) parse(Map.of(), "-h")).text();

      assertThat(help)
          .contains(
              """
              Global flags
                -listen-address string
                      Address to serve HTTP on, host:port (port 0 picks a free port). \
              (default "0.0.0.0:19100")
              """)
          .contains(
              """
              Task fetch: Fetches things for tests.
                -task-fetch-enabled
                      Run the fetch task. (default false)
                -task-fetch-interval duration
                      Interval between the starts of two runs of the task; its default follows \
              -task-interval. (default 35s)
                -task-fetch-max-series int
                      Most series served of the task; the task folds its long tail to stay within \
              it where it can, and the rest is dropped and counted in planet_task_series_dropped. \
              (default 10000)
                -task-fetch-addr string
                      Where to fetch from. Required when the task is enabled. (default "")
                -task-fetch-timeout duration
                      How long a fetch may take. (default 5s)
                -task-fetch-max-size size
                      Largest body accepted. (default 64MiB)
                -task-fetch-mode string
                      How to fetch. One of: fast, slow. (default "fast")
                -task-fetch-retries int
                      Retries of a failed fetch. (default 1)
              """)
          .contains("-log-level string", "-log-format string", "-log-disable-timestamp")
          .contains("-log-disable-colors", "-task-interval duration", "-primary-ip string")
          .contains("-config.file string", "-version");
    }
  }
}
