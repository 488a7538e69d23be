package io.planetexporter.task.darkstat;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskContext;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import io.planetexporter.fetch.FetchOptions;
import io.planetexporter.traffic.PeerTrafficTask;
import java.util.ArrayList;
import java.util.List;

/** Provider {@code darkstat}: per-peer traffic from darkstat's {@code /metrics}. */
public final class DarkstatTaskProvider implements TaskProvider {

  static final String METRIC = "planet_traffic_bytes";
  static final String HELP = "Bytes exchanged with each remote peer, as counted by darkstat.";

  @Override
  public String name() {
    return "darkstat";
  }

  @Override
  public String description() {
    return "Per-peer traffic counters from darkstat's /metrics page";
  }

  @Override
  public List<TaskOption> options() {
    List<TaskOption> options = new ArrayList<>();
    options.add(
        TaskOption.required(
            FetchOptions.ADDR, "URL of darkstat's /metrics, e.g. http://localhost:51666/metrics"));
    options.addAll(FetchOptions.options("5s"));
    return options;
  }

  @Override
  public Task create(TaskContext context) throws ConfigurationException {
    TaskConfig config = context.config();
    return new PeerTrafficTask(
        FetchOptions.address(context),
        FetchOptions.fetcher(config),
        context,
        FetchOptions.account(context),
        METRIC,
        HELP,
        DarkstatPage::read);
  }
}
