package io.planetexporter.task.inventory;

import static java.util.Objects.requireNonNull;

import com.google.common.io.CountingInputStream;
import io.planetexporter.api.Gauges;
import io.planetexporter.api.Inventory;
import io.planetexporter.api.InventorySource;
import io.planetexporter.api.Task;
import io.planetexporter.fetch.BoundedFetcher;
import io.planetexporter.fetch.FetchException;
import io.planetexporter.fetch.MemoryBudget;
import io.planetexporter.fetch.Redaction;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Loads the inventory from its source every run and serves the last good one.
 *
 * <p>A run that fails (the source unreachable, too slow, too large, an HTTP error, a document that
 * is not the format) throws, and the inventory and metrics of the last good load stay in force. A
 * document with no usable entry is refused the same way when the inventory in force has entries: a
 * source that suddenly serves nothing is more likely broken than emptied, and an empty inventory
 * would strip every name from every metric. Before any inventory is loaded, an empty document is
 * accepted.
 */
final class InventoryTask implements Task, InventorySource {

  private static final Logger logger = Logger.getLogger(InventoryTask.class.getName());

  private final URI source;
  // The source as messages show it: no password, token or query value.
  private final String shown;
  private final InventoryFormat format;
  private final BoundedFetcher fetcher;
  private final int maxEntries;
  private final Clock clock;
  private final MemoryBudget.Account memory;
  private final AtomicReference<Loaded> loaded = new AtomicReference<>();

  /**
   * @param maxEntries the most entries a document may have; a larger one is refused as it is read
   */
  InventoryTask(
      URI source,
      InventoryFormat format,
      BoundedFetcher fetcher,
      int maxEntries,
      Clock clock,
      MemoryBudget.Account memory) {
    this.memory = requireNonNull(memory, "memory");
    this.source = requireNonNull(source, "source");
    this.shown = Redaction.uri(source);
    this.format = requireNonNull(format, "format");
    this.fetcher = requireNonNull(fetcher, "fetcher");
    this.maxEntries = maxEntries;
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public Inventory inventory() {
    Loaded current = loaded.get();
    return current == null ? Inventory.empty() : current.inventory();
  }

  /**
   * Loads the document; the inventory in force stays charged to the memory budget while the new one
   * is read beside it, and the account holds what is in force once the run ends.
   */
  @Override
  public void run() throws FetchException, InventoryException {
    try {
      load();
    } finally {
      Loaded current = loaded.get();
      memory.settle(current == null ? 0 : current.memoryBytes());
    }
  }

  private void load() throws FetchException, InventoryException {
    long start = System.nanoTime();
    long[] documentBytes = new long[1];
    ParsedInventory parsed;
    try {
      parsed =
          fetcher.fetch(
              source,
              memory,
              in -> {
                CountingInputStream counted = new CountingInputStream(in);
                try {
                  return InventoryParser.parse(counted, format, maxEntries, memory::charge);
                } finally {
                  documentBytes[0] = counted.getCount();
                }
              });
    } catch (TooManyEntriesException e) {
      throw new InventoryException(source + ": " + e.getMessage() + keeping());
    } catch (InventoryException e) {
      throw new InventoryException(shown + ": not " + format.optionName() + ": " + e.getMessage());
    }
    // The document is parsed as it arrives: fetching and loading are one step.
    long done = System.nanoTime();
    Loaded previous = loaded.get();
    if (parsed.inventory().size() == 0 && previous != null && previous.inventory().size() > 0) {
      throw new InventoryException(
          shown
              + ": no usable entry ("
              + parsed.malformed()
              + " malformed, "
              + parsed.unnamed()
              + " without domain and hostgroup); keeping the "
              + previous.inventory().size()
              + " entries loaded at "
              + previous.loadedAt());
    }
    // The same document is loaded again every interval: say what is wrong with it once.
    boolean newProblem =
        previous == null
            || previous.malformed() != parsed.malformed()
            || !previous.firstProblem().equals(parsed.firstProblem());
    if (parsed.malformed() > 0 && newProblem) {
      logger.warning(
          () ->
              shown
                  + ": skipped "
                  + parsed.malformed()
                  + " malformed entries, the first at "
                  + parsed.firstProblem());
    }
    Instant now = clock.instant();
    loaded.set(
        new Loaded(
            parsed.inventory(),
            now,
            parsed.malformed(),
            parsed.firstProblem(),
            parsed.memoryBytes(),
            metrics(parsed, now, documentBytes[0], seconds(done - start), seconds(done - start))));
    Level level =
        previous == null || previous.inventory().size() != parsed.inventory().size()
            ? Level.INFO
            : Level.FINE;
    logger.log(level, () -> shown + ": loaded " + parsed.inventory().size() + " entries");
  }

  /** Every family {@link #snapshot()} serves (the tests render through the kit, which checks). */
  @Override
  public Set<String> metricNames() {
    return Set.of(
        "planet_inventory_entries",
        "planet_inventory_skipped_entries",
        "planet_inventory_last_success_timestamp_seconds",
        "planet_inventory_fetch_duration_seconds",
        "planet_inventory_load_duration_seconds",
        "planet_inventory_document_bytes");
  }

  /** What stays in force after a refused document. */
  private String keeping() {
    Loaded current = loaded.get();
    return current == null
        ? "; no inventory loaded yet"
        : "; keeping the "
            + current.inventory().size()
            + " entries loaded at "
            + current.loadedAt();
  }

  /** The metrics of the inventory in force; none before the first successful load. */
  @Override
  public MetricSnapshots snapshot() {
    Loaded current = loaded.get();
    return current == null ? MetricSnapshots.of() : current.metrics();
  }

  private static MetricSnapshots metrics(
      ParsedInventory parsed,
      Instant loadedAt,
      long bytes,
      double fetchSeconds,
      double loadSeconds) {
    return MetricSnapshots.of(
        Gauges.single(
            "planet_inventory_entries",
            "Addresses and prefixes in the inventory in force.",
            parsed.inventory().size()),
        GaugeSnapshot.builder()
            .name("planet_inventory_skipped_entries")
            .help(
                "Entries of the inventory in force's document that were skipped: malformed, or"
                    + " unnamed (no domain and no hostgroup).")
            .dataPoint(Gauges.point("reason", "malformed", parsed.malformed()))
            .dataPoint(Gauges.point("reason", "unnamed", parsed.unnamed()))
            .build(),
        Gauges.single(
            "planet_inventory_last_success_timestamp_seconds",
            "When the inventory in force was loaded, in seconds since the epoch.",
            loadedAt.toEpochMilli() / 1000.0),
        Gauges.single(
            "planet_inventory_fetch_duration_seconds",
            "How long fetching the inventory in force took.",
            fetchSeconds),
        Gauges.single(
            "planet_inventory_load_duration_seconds",
            "How long loading the inventory in force took, fetch and parse.",
            loadSeconds),
        Gauges.single(
            "planet_inventory_document_bytes",
            "Size of the inventory in force's document, after gzip decoding.",
            bytes));
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  /** The inventory in force and its metrics, built once per load. */
  private record Loaded(
      Inventory inventory,
      Instant loadedAt,
      int malformed,
      String firstProblem,
      long memoryBytes,
      MetricSnapshots metrics) {}
}
