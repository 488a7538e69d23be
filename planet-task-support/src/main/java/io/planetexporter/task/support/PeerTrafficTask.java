package io.planetexporter.task.support;

import static java.util.Objects.requireNonNull;

import io.planetexporter.api.Task;
import io.planetexporter.api.TaskContext;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A task that fetches another exporter's page and serves per-peer byte counters from it: the
 * darkstat and ebpf tasks, which differ only in how they read the page.
 *
 * <pre>{@code
 * new PeerTrafficTask(addr, fetcher, context, "planet_traffic_bytes", "Bytes ...", DarkstatPage::read);
 * }</pre>
 *
 * <p>After a failed run it serves no series until a run succeeds again. The values are counters: a
 * series frozen at its last value would draw as zero traffic in {@code rate()}, while a gap says
 * "unknown", which is the truth; {@code planet_scrape_collector_success} says why.
 */
public final class PeerTrafficTask implements Task {

  /** Reads one fetched page into the run's table. */
  @FunctionalInterface
  public interface PageReader {
    void read(byte[] page, PeerTraffic.Builder traffic) throws TextFormatException;
  }

  private final URI addr;
  private final BoundedFetcher fetcher;
  private final TaskContext context;
  private final String metric;
  private final String help;
  private final PageReader reader;
  private final AtomicReference<MetricSnapshots> latest =
      new AtomicReference<>(MetricSnapshots.of());

  /**
   * @param metric the counter's name without {@code _total}
   */
  public PeerTrafficTask(
      URI addr,
      BoundedFetcher fetcher,
      TaskContext context,
      String metric,
      String help,
      PageReader reader) {
    this.addr = requireNonNull(addr, "addr");
    this.fetcher = requireNonNull(fetcher, "fetcher");
    this.context = requireNonNull(context, "context");
    this.metric = requireNonNull(metric, "metric");
    this.help = requireNonNull(help, "help");
    this.reader = requireNonNull(reader, "reader");
  }

  /**
   * Fetches and reads the page, then publishes its counters.
   *
   * @throws FetchException when the page cannot be fetched within the deadline and size limit
   * @throws TextFormatException naming the page and line when it cannot be read
   */
  @Override
  public void run() throws FetchException, TextFormatException {
    try {
      byte[] page = fetcher.fetch(addr);
      PeerTraffic.Builder traffic = PeerTraffic.builder(context.host(), context.inventory());
      try {
        reader.read(page, traffic);
      } catch (TextFormatException e) {
        throw e.withSource(Redaction.uri(addr));
      }
      latest.set(MetricSnapshots.of(traffic.build().toCounter(metric, help)));
    } catch (FetchException | TextFormatException | RuntimeException e) {
      latest.set(MetricSnapshots.of());
      throw e;
    }
  }

  @Override
  public Set<String> metricNames() {
    return Set.of(metric);
  }

  @Override
  public MetricSnapshots snapshot() {
    return latest.get();
  }
}
