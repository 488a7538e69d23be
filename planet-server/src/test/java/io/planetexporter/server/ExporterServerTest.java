package io.planetexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.api.HostIdentity;
import io.planetexporter.collector.Crew;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(30)
class ExporterServerTest {

  @Test
  void answersAFailedScrapeWith500AndNoStackTrace() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    MultiCollector failing =
        () -> {
          throw new IllegalStateException("secret internals");
        };
    registry.register(failing);
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (Crew crew =
            Crew.create(List.of(), new HostIdentity("h", loopback, Set.of()), Clock.systemUTC());
        ExporterServer server =
            ExporterServer.start(
                new InetSocketAddress(loopback, 0),
                ExporterServer.prometheusProperties(),
                registry,
                crew,
                new BuildInfo("1", "r", "b", "17"))) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.body()).doesNotContain("secret internals").doesNotContain("\tat ");
    }
  }

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, 127.0.0.1:9100",
    "::1, [::1]:9100",
    "::, [::]:9100",
    "fd00:0:0:1::5, [fd00:0:0:1::5]:9100",
    "2001:db8:0:0:1:0:0:1, [2001:db8::1:0:0:1]:9100",
    "2001:db8:0:1:1:1:1:1, [2001:db8:0:1:1:1:1:1]:9100",
    "fd00::, [fd00::]:9100"
  })
  void writesTheAddressWithIpv6InBracketsAndShortForm(String ip, String expected) throws Exception {
    assertThat(ExporterServer.format(new InetSocketAddress(InetAddress.getByName(ip), 9100)))
        .isEqualTo(expected);
  }
}
