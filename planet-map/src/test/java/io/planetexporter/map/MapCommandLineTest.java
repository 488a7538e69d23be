package io.planetexporter.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.ConfigurationException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MapCommandLineTest {

  @Test
  void defaultsListenOnPort19200AndAskLocalPrometheus() throws ConfigurationException {
    MapSettings settings = MapCommandLine.parse(List.of()).orElseThrow();

    assertThat(settings.listenHost()).isEmpty();
    assertThat(settings.listenPort()).isEqualTo(19200);
    assertThat(settings.prometheus().url()).isEqualTo(URI.create("http://localhost:9090"));
    assertThat(settings.queryTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void readsFlagsInBothStyles() throws ConfigurationException {
    MapSettings settings =
        MapCommandLine.parse(
                List.of(
                    "--prometheus-url=http://prom:9090/prefix",
                    "-listen-address",
                    "[::1]:0",
                    "-query-timeout=1m30s"))
            .orElseThrow();

    assertThat(settings.prometheus().url()).isEqualTo(URI.create("http://prom:9090/prefix"));
    assertThat(settings.listenHost()).isEqualTo("::1");
    assertThat(settings.listenPort()).isZero();
    assertThat(settings.queryTimeout()).isEqualTo(Duration.ofSeconds(90));
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
  }
}
