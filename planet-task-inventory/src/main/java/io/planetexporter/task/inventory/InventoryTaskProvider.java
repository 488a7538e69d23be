package io.planetexporter.task.inventory;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.OptionType;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskContext;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import io.planetexporter.fetch.FetchOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code inventory} task: loads the map of IP and CIDR to domain and hostgroup that names peers
 * in every task's metrics. Disabled by default; runs every 25 × {@code -task-interval}.
 */
public final class InventoryTaskProvider implements TaskProvider {

  static final String FORMAT = "format";
  static final String MAX_ENTRIES = "max-entries";

  /**
   * About 45 MiB loaded (180 bytes an entry), twice during a reload: room left in the launcher's
   * 256 MiB heap for the other tasks' largest inputs.
   */
  static final int DEFAULT_MAX_ENTRIES = 250_000;

  @Override
  public String name() {
    return "inventory";
  }

  @Override
  public String description() {
    return "Loads the inventory (IP or CIDR to domain and hostgroup) that names hosts in metrics.";
  }

  @Override
  public List<TaskOption> options() {
    List<TaskOption> options = new ArrayList<>();
    options.add(
        TaskOption.required(
            FetchOptions.ADDR,
            "Where the inventory is: an http(s) URL, a file path or a file: URL."));
    options.add(
        TaskOption.of(
                FORMAT,
                OptionType.STRING,
                InventoryFormat.ARRAYJSON.optionName(),
                "Inventory format: arrayjson (one JSON array of objects) or ndjson (one object per"
                    + " line).")
            .allowing(
                Arrays.stream(InventoryFormat.values())
                    .map(InventoryFormat::optionName)
                    .toArray(String[]::new)));
    options.add(
        TaskOption.of(
                MAX_ENTRIES,
                OptionType.INTEGER,
                Integer.toString(DEFAULT_MAX_ENTRIES),
                "Most entries an inventory may have; a larger one is refused as it is read and the"
                    + " last good one kept (the default fits the launcher's default heap).")
            .validatedBy(
                value -> {
                  long entries = (Long) value;
                  if (entries < 1 || entries > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(
                        "must be between 1 and " + Integer.MAX_VALUE + ", got " + entries);
                  }
                }));
    options.addAll(FetchOptions.options("30s"));
    return List.copyOf(options);
  }

  /** 175s with the default 7s, as the Go program. */
  @Override
  public Duration defaultInterval(Duration taskInterval) {
    return taskInterval.multipliedBy(25);
  }

  @Override
  public Task create(TaskContext context) throws ConfigurationException {
    InventoryFormat format;
    try {
      format = InventoryFormat.named(context.config().string(FORMAT));
    } catch (IllegalArgumentException e) {
      // Only with a config the server did not read: it refuses a value not allowed.
      throw ConfigurationException.forOption(FORMAT, e.getMessage(), e);
    }
    long maxEntries = context.config().integer(MAX_ENTRIES);
    return new InventoryTask(
        FetchOptions.address(context),
        format,
        FetchOptions.fetcher(context.config()),
        (int) maxEntries,
        context.clock(),
        FetchOptions.account(context));
  }
}
