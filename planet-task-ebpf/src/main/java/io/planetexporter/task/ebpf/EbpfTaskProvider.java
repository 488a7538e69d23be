package io.planetexporter.task.ebpf;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.OptionType;
import io.planetexporter.api.Task;
import io.planetexporter.api.TaskContext;
import io.planetexporter.api.TaskOption;
import io.planetexporter.api.TaskProvider;
import io.planetexporter.fetch.FetchOptions;
import io.planetexporter.traffic.PeerTrafficTask;
import java.util.ArrayList;
import java.util.List;

/** Provider {@code ebpf}: per-peer TCP traffic from ebpf_exporter's tcptop program. */
public final class EbpfTaskProvider implements TaskProvider {

  static final String METRIC = "planet_ebpf_traffic_bytes";
  static final String HELP =
      "TCP payload bytes exchanged with each remote peer, as counted by ebpf_exporter's tcptop.";

  @Override
  public String name() {
    return "ebpf";
  }

  @Override
  public String description() {
    return "Per-peer TCP traffic counters from ebpf_exporter's tcptop program";
  }

  @Override
  public List<TaskOption> options() {
    List<TaskOption> options = new ArrayList<>();
    options.add(
        TaskOption.of(
            FetchOptions.ADDR,
            OptionType.STRING,
            "http://localhost:9435/metrics",
            "URL of ebpf_exporter's /metrics"));
    options.addAll(FetchOptions.options("5s"));
    return options;
  }

  @Override
  public Task create(TaskContext context) throws ConfigurationException {
    return new PeerTrafficTask(
        FetchOptions.address(context),
        FetchOptions.fetcher(context.config()),
        context,
        FetchOptions.account(context),
        METRIC,
        HELP,
        TcptopPage::read);
  }
}
