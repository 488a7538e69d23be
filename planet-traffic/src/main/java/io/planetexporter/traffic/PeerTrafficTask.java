package io.planetexporter.traffic;

import static java.util.Objects.requireNonNull;

import io.planetexporter.api.Gauges;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskContext;
import io.planetexporter.fetch.BoundedFetcher;
import io.planetexporter.fetch.FetchException;
import io.planetexporter.fetch.MemoryBudget;
import io.planetexporter.fetch.Redaction;
import io.planetexporter.net.IpAddress;
import io.planetexporter.textformat.TextFormatException;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A task that fetches another exporter's page and serves per-peer byte counters from it: the
 * darkstat and ebpf tasks, which differ only in how they read the page.
 *
 * <pre>{@code
 * new PeerTrafficTask(addr, fetcher, context, FetchOptions.account(context),
 *     "planet_traffic_bytes", "Bytes ...", DarkstatPage::read);
 * }</pre>
 *
 * <p>After a failed run it serves no series until a run succeeds again. The values are counters: a
 * series frozen at its last value would draw as zero traffic in {@code rate()}, while a gap says
 * "unknown", which is the truth; {@code planet_scrape_collector_success} says why.
 *
 * <p>The page is parsed as it arrives, never held whole. The task stays within its series budget by
 * folding peers ({@link PeerTraffic}); {@code planet_<task>_folded_peers} says how many are folded.
 * A folded peer stays folded until it has been absent from the page for {@link
 * PeerFolding#DEFAULT_RETENTION}. What the run holds per peer, and the folded peers it remembers,
 * are charged to the task's share of the {@link MemoryBudget} before they are allocated: a page of
 * more peers than the budget holds fails the run, naming the budget.
 */
public final class PeerTrafficTask implements Task {

  /** Reads one page, as it arrives, into the run's table. */
  @FunctionalInterface
  public interface PageReader {
    void read(InputStream page, PeerTraffic.Builder traffic)
        throws IOException, TextFormatException;
  }

  private final URI addr;
  private final BoundedFetcher fetcher;
  private final TaskContext context;
  private final String metric;
  private final String help;
  private final String foldedPeersMetric;
  private final PageReader reader;
  private final PeerFolding<IpAddress> folding = new PeerFolding<>(Comparator.naturalOrder());
  private final SeriesLabels seriesLabels = new SeriesLabels();
  private final AtomicReference<MetricSnapshots> latest =
      new AtomicReference<>(MetricSnapshots.of());
  private final MemoryBudget.Account memory;

  /**
   * What a peer of a page costs while the run lasts: its sums in the builder and its entry in the
   * run's folding (a 400,000-host page took 108 bytes a peer parsed and about 200 at its peak,
   * measured; see docs/operator-guide.md, "Memory").
   */
  static final long PEER_BYTES = 200;

  /**
   * @param metric the counter's name without {@code _total}
   */
  public PeerTrafficTask(
      URI addr,
      BoundedFetcher fetcher,
      TaskContext context,
      MemoryBudget.Account memory,
      String metric,
      String help,
      PageReader reader) {
    this.addr = requireNonNull(addr, "addr");
    this.memory = requireNonNull(memory, "memory");
    this.fetcher = requireNonNull(fetcher, "fetcher");
    this.context = requireNonNull(context, "context");
    this.metric = requireNonNull(metric, "metric");
    this.help = requireNonNull(help, "help");
    this.reader = requireNonNull(reader, "reader");
    this.foldedPeersMetric = "planet_" + context.taskName().replace('-', '_') + "_folded_peers";
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
      PeerTraffic.Builder traffic =
          PeerTraffic.builder(
              context.host(),
              context.inventory(),
              // A peer the folding remembers costs the run its sums only.
              peer ->
                  memory.charge(
                      PEER_BYTES + (folding.remembers(peer) ? 0 : PeerFolding.REMEMBERED_BYTES)));
      try {
        fetcher.fetch(
            addr,
            memory,
            page -> {
              reader.read(page, traffic);
              return traffic;
            });
      } catch (TextFormatException e) {
        throw e.withSource(Redaction.uri(addr));
      }
      // One series is the folded-peer gauge; the rest of the budget is the counter's.
      PeerTraffic table =
          traffic.build(
              folding.start(context.clock().instant()), context.config().maxSeries() - 1L);
      latest.set(
          MetricSnapshots.of(
              table.toCounter(metric, help, seriesLabels),
              Gauges.single(
                  foldedPeersMetric,
                  "Peers whose bytes are counted in the remote_ip=\"other\" series, to keep the"
                      + " task within its series budget.",
                  table.foldedPeers())));
    } catch (FetchException | TextFormatException | RuntimeException e) {
      latest.set(MetricSnapshots.of());
      throw e;
    } finally {
      // The run's tables are garbage now; the folded peers stay until the next runs.
      memory.settle(folding.remembered() * PeerFolding.REMEMBERED_BYTES);
    }
  }

  @Override
  public Set<String> metricNames() {
    return Set.of(metric, foldedPeersMetric);
  }

  @Override
  public MetricSnapshots snapshot() {
    return latest.get();
  }
}
