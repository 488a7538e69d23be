package io.planetexporter.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.testfixtures.TestPki;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MapCommandLineTest {

  @Test
  void defaultsListenOnPort19200AndAskLocalPrometheus() throws ConfigurationException {
    MapSettings settings = MapCommandLine.parse(List.of()).orElseThrow();

    assertThat(settings.listenHost()).isEmpty();
    assertThat(settings.listenPort()).isEqualTo(19200);
    assertThat(settings.prometheus().url()).isEqualTo(URI.create("http://localhost:9090"));
    assertThat(settings.queryTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.connectionsPerAddress()).isEqualTo(64);
  }

  @Test
  void readsFlagsInBothStyles() throws ConfigurationException {
    MapSettings settings =
        MapCommandLine.parse(
                List.of(
                    "--prometheus-url=http://prom:9090/prefix",
                    "-listen-address",
                    "[::1]:0",
                    "-query-timeout=1m30s",
                    "-web.max-connections-per-address",
                    "500"))
            .orElseThrow();

    assertThat(settings.prometheus().url()).isEqualTo(URI.create("http://prom:9090/prefix"));
    assertThat(settings.listenHost()).isEqualTo("::1");
    assertThat(settings.listenPort()).isZero();
    assertThat(settings.queryTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(settings.connectionsPerAddress()).isEqualTo(500);
  }

  @Test
  void helpIsAskedWithH() throws ConfigurationException {
    assertThat(MapCommandLine.parse(List.of("-h"))).isEmpty();
    assertThat(MapCommandLine.help())
        .contains("-prometheus-url string", "-listen-address string", "(default \":19200\")");
  }

  @Test
  void refusesUnknownFlagsAndBadValuesInOneLine() {
    assertThatThrownBy(() -> MapCommandLine.parse(List.of("-prometheus")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("unknown flag -prometheus (see -h)");
    assertThatThrownBy(() -> MapCommandLine.parse(List.of("-query-timeout=0s")))
        .hasMessage("-query-timeout: must be more than 0s");
    assertThatThrownBy(() -> MapCommandLine.parse(List.of("-prometheus-url=prom:9090")))
        .hasMessageStartingWith("-prometheus-url: want http(s)://host:port");
    assertThatThrownBy(() -> MapCommandLine.parse(List.of("-listen-address=19200")))
        .hasMessage("-listen-address: \"19200\" is not host:port");
    assertThatThrownBy(() -> MapCommandLine.parse(List.of("-log-level=loud")))
        .hasMessageStartingWith("-log-level: unknown level \"loud\"");
    assertThatThrownBy(() -> MapCommandLine.parse(List.of("-web.max-connections-per-address=0")))
        .hasMessage("-web.max-connections-per-address: must be between 1 and 2147483647");
    assertThatThrownBy(() -> MapCommandLine.parse(List.of("-web.max-connections-per-address=many")))
        .hasMessage("-web.max-connections-per-address: invalid integer \"many\"");
  }

  @Test
  void readsThePrometheusCredentialsAndLimits(@TempDir Path dir) throws Exception {
    Path password = Files.writeString(dir.resolve("password"), "s3cret\n");
    TestPki.writeServerAndClient(dir);
    MapSettings settings =
        MapCommandLine.parse(
                List.of(
                    "-prometheus-url=https://prom:9090",
                    "-prometheus-basic-auth-username=sre",
                    "-prometheus-basic-auth-password-file=" + password,
                    "-prometheus-tls-ca-file=" + dir.resolve("ca.crt"),
                    "-prometheus-tls-cert-file=" + dir.resolve("client.crt"),
                    "-prometheus-tls-key-file=" + dir.resolve("client.key"),
                    "-prometheus-max-response-size=1GiB",
                    "-prometheus-max-series=1000000"))
            .orElseThrow();

    PrometheusSettings prometheus = settings.prometheus();
    assertThat(prometheus.auth().username()).contains("sre");
    assertThat(prometheus.auth().passwordFile()).contains(password);
    assertThat(prometheus.tls().caFile()).contains(dir.resolve("ca.crt"));
    assertThat(prometheus.tls().keyFile()).contains(dir.resolve("client.key"));
    assertThat(prometheus.maxResponseBytes()).isEqualTo(1L << 30);
    assertThat(prometheus.maxSeries()).isEqualTo(1_000_000);
  }

  @Test
  void theLimitsDefaultToTheDocumentedFigures() throws ConfigurationException {
    PrometheusSettings prometheus = MapCommandLine.parse(List.of()).orElseThrow().prometheus();

    assertThat(prometheus.maxResponseBytes())
        .isEqualTo(PrometheusSettings.DEFAULT_MAX_RESPONSE_BYTES)
        .isEqualTo(64L << 20);
    assertThat(prometheus.maxSeries()).isEqualTo(PrometheusSettings.DEFAULT_MAX_SERIES);
    assertThat(MapCommandLine.help())
        .contains("-prometheus-max-response-size size", "(default 64MiB)")
        .contains("-prometheus-max-series int", "(default 250000)");
  }

  @Test
  void refusesBadCombinationsNamingTheFlag(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("secret"), "hunter2\n");
    TestPki.writeServerAndClient(dir);

    assertThatThrownBy(() -> parse("-prometheus-basic-auth-username=sre"))
        .hasMessage(
            "-prometheus-basic-auth-password-file: give -prometheus-basic-auth-username and"
                + " -prometheus-basic-auth-password-file both or neither");
    assertThatThrownBy(() -> parse("-prometheus-basic-auth-password-file=" + file))
        .hasMessageStartingWith("-prometheus-basic-auth-username: give");
    assertThatThrownBy(
            () ->
                parse(
                    "-prometheus-basic-auth-username=sre",
                    "-prometheus-basic-auth-password-file=" + file,
                    "-prometheus-bearer-token-file=" + file))
        .hasMessage("-prometheus-bearer-token-file: give basic auth or a bearer token, not both");
    assertThatThrownBy(
            () ->
                parse(
                    "-prometheus-url=http://sre:hunter2@prom:9090",
                    "-prometheus-bearer-token-file=" + file))
        .hasMessage(
            "-prometheus-bearer-token-file: -prometheus-url has a user already; give the"
                + " credentials one way");
    assertThatThrownBy(() -> parse("-prometheus-bearer-token-file=" + dir.resolve("none")))
        .hasMessage("-prometheus-bearer-token-file: cannot read " + dir.resolve("none"));
    assertThatThrownBy(
            () ->
                parse(
                    "-prometheus-url=https://prom:9090",
                    "-prometheus-tls-cert-file=" + dir.resolve("client.crt")))
        .hasMessage("-prometheus-tls-cert-file and -prometheus-tls-key-file: give both or neither");
    assertThatThrownBy(
            () ->
                parse(
                    "-prometheus-url=https://prom:9090",
                    "-prometheus-tls-cert-file=" + dir.resolve("client.crt"),
                    "-prometheus-tls-key-file=" + dir.resolve("server.key")))
        .hasMessageStartingWith("-prometheus-tls-key-file: the key does not match");
    assertThatThrownBy(() -> parse("-prometheus-tls-ca-file=" + dir.resolve("ca.crt")))
        .hasMessage("-prometheus-tls-ca-file: -prometheus-url is not https");
    assertThatThrownBy(() -> parse("-prometheus-max-series=0"))
        .hasMessage("-prometheus-max-series: must be from 1 to 2147483647, got 0");
    assertThatThrownBy(() -> parse("-prometheus-max-response-size=lots"))
        .hasMessageStartingWith("-prometheus-max-response-size: ");
  }

  @Test
  void neverShowsTheUrlsPassword() {
    assertThatThrownBy(() -> parse("-prometheus-url=ftp://sre:hunter2@prom:9090"))
        .hasMessageNotContaining("hunter2")
        .hasMessageContaining("***@prom:9090");
    assertThatThrownBy(() -> parse("-prometheus-url=http://sre:hunter2@prom:9090/a b"))
        .hasMessageNotContaining("hunter2");
  }

  private static void parse(String... args) throws ConfigurationException {
    MapCommandLine.parse(List.of(args));
  }
}
