package io.planetexporter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.collector.ProviderLoader;
import io.planetexporter.collector.TaskProviders;
import io.planetexporter.testfixtures.TestHttpClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ExporterTest {

  private final CountDownLatch release = new CountDownLatch(1);
  private final TestHttpClient http = TestHttpClient.create();
  private Exporter exporter;

  @BeforeEach
  void start() throws ConfigurationException, IOException {
    Invocation invocation =
        CommandLine.parse(
            List.of(
                "-listen-address=127.0.0.1:0",
                "-primary-ip=198.18.0.10",
                "-task-fetch-enabled",
                "-task-fetch-addr=http://127.0.0.1:1/x"),
            Map.of(),
            TaskProviders.discover(ProviderLoader.of(TestFetchTask.provider(release))));
    exporter =
        Exporter.start(
            ((Invocation.Run) invocation).settings(),
            new BuildInfo("1.2.3", "abcdef", "main", "17"),
            Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    release.countDown();
    exporter.close();
  }

  private HttpRequest.Builder request(String path) {
    return http.request(TestHttpClient.local(exporter.address().getPort(), path));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(request(path), HttpResponse.BodyHandlers.ofString());
  }

  private void awaitReady() throws Exception {
    release.countDown();
    for (int i = 0; i < 2000; i++) {
      if (get("/-/ready").statusCode() == 200) {
        return;
      }
      Thread.sleep(5);
    }
    fail("not ready within 10s");
  }

  @Nested
  class Metrics {

    @Test
    void servesTextFormatWithTasksAndBuildInfo() throws Exception {
      awaitReady();

      HttpResponse<String> response = get("/metrics");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .contains("text/plain; version=0.0.4; charset=utf-8");
      assertThat(response.body())
          .contains("fetch_up{addr=\"http://127.0.0.1:1/x\"} 1.0")
          .contains("planet_scrape_collector_success{collector=\"fetch\"} 1.0")
          .contains(
              "planet_exporter_build_info{branch=\"main\",javaversion=\"17\","
                  + "revision=\"abcdef\",version=\"1.2.3\"} 1.0")
          .contains("planet_hostname{")
          .contains("ip=\"198.18.0.10\"");
    }

    @Test
    void servesOpenMetricsWhenAsked() throws Exception {
      HttpResponse<String> response =
          http.send(
              request("/metrics")
                  .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8"),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("application/openmetrics-text");
      assertThat(response.body()).endsWith("# EOF\n");
    }

    @Test
    void gzipsWhenAsked() throws Exception {
      HttpResponse<byte[]> response =
          http.send(
              request("/metrics").header("Accept-Encoding", "gzip"),
              HttpResponse.BodyHandlers.ofByteArray());

      assertThat(response.headers().firstValue("Content-Encoding")).contains("gzip");
      String body =
          new String(
              new GZIPInputStream(new ByteArrayInputStream(response.body())).readAllBytes(),
              StandardCharsets.UTF_8);
      assertThat(body).contains("planet_exporter_build_info");
    }

    @Test
    void answersBeforeTheFirstRunEnds() throws Exception {
      HttpResponse<String> response = get("/metrics");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .contains("planet_scrape_collector_success{collector=\"fetch\"} 0.0")
          .doesNotContain("fetch_up");
    }
  }

  @Nested
  class Paths {

    @Test
    void isNotReadyBeforeEveryTaskRanOnceAndReadyAfter() throws Exception {
      HttpResponse<String> before = get("/-/ready");

      assertThat(before.statusCode()).isEqualTo(503);
      assertThat(before.body()).isEqualTo("waiting for the first run of: fetch\n");

      awaitReady();
      assertThat(get("/-/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void isHealthyWhileServing() throws Exception {
      assertThat(get("/-/healthy").statusCode()).isEqualTo(200);
    }

    @Test
    void answersUnknownPathsWith404() throws Exception {
      HttpResponse<String> response = get("/metricz");

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.body()).isEqualTo("404 page not found\n");
    }

    @Test
    void refusesOtherMethodsThanGetAndHead() throws Exception {
      HttpResponse<String> response =
          http.send(
              request("/metrics").POST(HttpRequest.BodyPublishers.ofString("x")),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(405);
      assertThat(response.headers().firstValue("Allow")).contains("GET, HEAD");
    }

    @Test
    void answersHeadWithoutBody() throws Exception {
      HttpResponse<String> response =
          http.send(
              request("/").method("HEAD", HttpRequest.BodyPublishers.noBody()),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEmpty();
    }

    @Test
    void showsVersionAndTasksOnTheLandingPage() throws Exception {
      awaitReady();

      HttpResponse<String> response = get("/");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .contains("text/html; charset=utf-8");
      assertThat(response.body())
          .contains("Version 1.2.3 (branch main, revision abcdef)")
          .contains("primary IP 198.18.0.10")
          .contains("<a href=\"/metrics\">")
          .contains("<tr><td>fetch</td><td>35s</td>")
          .contains("<td>ok</td>");
    }
  }
}
