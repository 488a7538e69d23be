package io.planetexporter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.planetexporter.api.Task;
import io.planetexporter.api.TaskProvider;
import io.planetexporter.api.testing.TestTaskProvider;
import io.planetexporter.collector.ProviderLoader;
import io.planetexporter.collector.TaskProviders;
import io.planetexporter.testfixtures.TestHttpClient;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
      TestTaskProvider.of(
              "slow",
              context ->
                  new Task() {
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
                  })
          .description("Holds scrapes.");

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
        TestHttpClient.create().getAsync(TestHttpClient.local(port, "/metrics"));
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
