package io.planetexporter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.planetexporter.api.Task;
import io.planetexporter.api.TaskContext;
import io.planetexporter.api.TaskProvider;
import io.planetexporter.collector.ProviderLoader;
import io.planetexporter.collector.TaskProviders;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ExporterShutdownTest {

  private final CountDownLatch scraping = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  /** A task whose snapshot holds the scrape until released, to have a scrape in flight. */
  private final TaskProvider slow =
      new TaskProvider() {
        @Override
        public String name() {
          return "slow";
        }

        @Override
        public String description() {
          return "Holds scrapes.";
        }

        @Override
        public Task create(TaskContext context) {
          return new Task() {
            @Override
            public void run() {}

            @Override
            public MetricSnapshots snapshot() {
              scraping.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return MetricSnapshots.of(
                  GaugeSnapshot.builder()
                      .name("slow_up")
                      .dataPoint(GaugeDataPointSnapshot.builder().value(1).build())
                      .build());
            }
          };
        }
      };

  @Test
  void stopsAcceptingButFinishesTheScrapeInFlight() throws Exception {
    Invocation invocation =
        CommandLine.parse(
            List.of("-listen-address=127.0.0.1:0", "-task-slow-enabled"),
            Map.of(),
            TaskProviders.discover(ProviderLoader.of(slow)));
    Exporter exporter =
        Exporter.start(
            ((Invocation.Run) invocation).settings(),
            new BuildInfo("1", "r", "b", "17"),
            Clock.systemUTC());
    int port = exporter.address().getPort();
    CompletableFuture<HttpResponse<String>> scrape =
        HttpClient.newHttpClient()
            .sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    scraping.await();

    CompletableFuture<Void> closing = CompletableFuture.runAsync(exporter::close);
    awaitRefused(port);
    release.countDown();

    HttpResponse<String> response = scrape.get();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("slow_up 1.0");
    closing.get();
  }

  private static void awaitRefused(int port) throws InterruptedException {
    for (int i = 0; i < 2000; i++) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      } catch (ConnectException refused) {
        return;
      } catch (IOException other) {
        // try again
      }
      Thread.sleep(5);
    }
    fail("the port still accepted connections after 10s");
  }
}
