package org.example.legacy;

import io.planetexporter.api.Task;
import io.planetexporter.api.TaskContext;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Serves {@code
 * legacy_greetings{greeting,host,inventory_size,primary_ip,primary_is_local,local_addresses}} once
 * it has run.
 */
final class LegacyTask implements Task {

  private final String greeting;
  private final long repeat;
  private final String host;
  private final TaskContext context;
  private final AtomicReference<MetricSnapshots> latest =
      new AtomicReference<>(MetricSnapshots.of());

  LegacyTask(String greeting, long repeat, String host, TaskContext context) {
    this.greeting = greeting;
    this.repeat = repeat;
    this.host = host;
    this.context = context;
  }

  @Override
  public void run() {
    latest.set(
        MetricSnapshots.of(
            GaugeSnapshot.builder()
                .name("legacy_greetings")
                .help("Greetings said.")
                .dataPoint(
                    GaugeDataPointSnapshot.builder()
                        .labels(
                            Labels.of(
                                "greeting",
                                greeting,
                                "host",
                                host,
                                "inventory_size",
                                Integer.toString(context.inventory().size()),
                                // HostIdentity as 0.1 had it: InetAddress accessors.
                                "primary_ip",
                                context.host().primaryIp().getHostAddress(),
                                "primary_is_local",
                                Boolean.toString(
                                    context.host().isLocal(context.host().primaryIp())),
                                "local_addresses",
                                context.host().localAddresses().toString()))
                        .value(repeat)
                        .build())
                .build()));
  }

  @Override
  public MetricSnapshots snapshot() {
    return latest.get();
  }
}
