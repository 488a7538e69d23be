package io.planetexporter.task.socketstat.metrics;

import io.planetexporter.api.Gauges;
import io.planetexporter.task.socketstat.bytes.ByteCount;
import io.planetexporter.task.socketstat.bytes.ByteCountMode;
import io.planetexporter.task.socketstat.classify.Direction;
import io.planetexporter.task.socketstat.classify.Edge;
import io.planetexporter.task.socketstat.classify.EdgeLabels;
import io.planetexporter.task.socketstat.classify.EdgesAndListeners;
import io.planetexporter.task.socketstat.classify.ListenerLabels;
import io.planetexporter.task.socketstat.health.AcceptQueue;
import io.planetexporter.task.socketstat.health.ConnectFailure;
import io.planetexporter.task.socketstat.health.EdgeHealth;
import io.planetexporter.task.socketstat.owner.OwnerLookup;
import io.planetexporter.task.socketstat.runtime.WorkloadNames;
import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.SocketState;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Builds the served metrics from a published {@link SocketstatResult}, keeping the edges' label
 * sets from one collection to the next.
 */
public final class SocketstatMetrics {

  private static final String[] LISTENER_LABEL_NAMES = {
    "local_hostgroup", "bind", "process_name", "port", "protocol", "container", "unit", "workload"
  };

  private static final String[] ADDRESS_LABEL_NAMES = {
    "address", "hostname", "workload", "container", "unit"
  };

  /** States reported as 0 when no socket is in them, so their series do not come and go. */
  private static final Map<Protocol, Set<SocketState>> ALWAYS_REPORTED =
      Map.of(
          Protocol.TCP,
          EnumSet.range(SocketState.ESTABLISHED, SocketState.CLOSING),
          Protocol.UDP,
          EnumSet.of(SocketState.ESTABLISHED, SocketState.CLOSE));

  /**
   * Every family {@link #of} builds, as {@code getPrometheusName()} gives them (counters without
   * {@code _total}): declared when the task is created, so that a clash with another task stops
   * startup.
   */
  public static final Set<String> NAMES =
      Set.of(
          "planet_upstream",
          "planet_downstream",
          "planet_server_process",
          "planet_socketstat_sockets",
          "planet_socketstat_unresolved_sockets",
          "planet_socketstat_skipped_processes",
          "planet_socketstat_unparsable_lines",
          "planet_socketstat_owner_cache_hits",
          "planet_socketstat_fd_walks",
          "planet_socketstat_namespaces",
          "planet_socketstat_skipped_namespaces",
          "planet_socketstat_collection_duration_seconds",
          "planet_upstream_bytes",
          "planet_downstream_bytes",
          "planet_socketstat_bytes_mode",
          "planet_socketstat_destroy_events",
          "planet_socketstat_destroy_events_lost",
          "planet_socketstat_destroy_events_buffer_bytes",
          "planet_socketstat_folded_peers",
          "planet_upstream_connect_failures",
          "planet_upstream_retransmitted_bytes",
          "planet_downstream_retransmitted_bytes",
          "planet_upstream_rtt_seconds",
          "planet_downstream_rtt_seconds",
          "planet_server_accept_queue",
          "planet_server_accept_queue_limit",
          "planet_socketstat_unnamed_containers",
          "planet_address_info");

  private final EdgeLabelSets edgeLabels = new EdgeLabelSets();

  /** The served metrics of a collection; called by the thread that runs the task, in turn. */
  public MetricSnapshots of(SocketstatResult result) {
    MetricSnapshots snapshots = build(result);
    edgeLabels.endRun();
    return snapshots;
  }

  private MetricSnapshots build(SocketstatResult result) {
    EdgesAndListeners dependencies = result.dependencies();
    return MetricSnapshots.of(
        edgeGauge(
            "planet_upstream", "Upstream dependency of this machine", dependencies.upstreams()),
        edgeGauge(
            "planet_downstream",
            "Downstream dependency of this machine",
            dependencies.downstreams()),
        listenerGauge(dependencies.listeners()),
        socketsByState(result),
        unresolved(result),
        skippedProcesses(result.owners()),
        Gauges.single(
            "planet_socketstat_unparsable_lines",
            "Lines of /proc/net/{tcp,tcp6,udp,udp6} skipped in the last collection because they"
                + " did not parse; with netlink, messages too short to be a socket, and sockets"
                + " kept without byte counters because one was at 2^63 or more.",
            result.unparsableLines()),
        Gauges.single(
            "planet_socketstat_owner_cache_hits",
            "Sockets whose process came from the cache in the last collection, without walking"
                + " /proc/<pid>/fd.",
            result.owners().cacheHits()),
        CounterSnapshot.builder()
            .name("planet_socketstat_fd_walks")
            .help("Walks of /proc/<pid>/fd made to find the processes of new sockets.")
            .dataPoint(CounterDataPointSnapshot.builder().value(result.owners().walks()).build())
            .build(),
        Gauges.single(
            "planet_socketstat_namespaces",
            "Network namespaces whose sockets the last collection read, the exporter's own"
                + " included.",
            result.namespaces()),
        Gauges.single(
            "planet_socketstat_skipped_namespaces",
            "Network namespaces the last collection skipped because their processes exited"
                + " before their sockets could be read.",
            result.skippedNamespaces()),
        Gauges.single(
            "planet_socketstat_collection_duration_seconds",
            "How long the last collection took.",
            result.durationSeconds()),
        bytes(
            "planet_upstream_bytes",
            "Payload bytes of the TCP connections of an upstream dependency since the exporter"
                + " started, live and closed; direction egress is sent by this machine, ingress"
                + " received.",
            Direction.UPSTREAM,
            result.bytes()),
        bytes(
            "planet_downstream_bytes",
            "Payload bytes of the TCP connections of a downstream dependency since the exporter"
                + " started, live and closed; direction egress is sent by this machine, ingress"
                + " received.",
            Direction.DOWNSTREAM,
            result.bytes()),
        bytesMode(result.bytesMode()),
        counter(
            "planet_socketstat_destroy_events",
            "sock_diag TCP destroy events received (listeners' included).",
            result.destroyEvents()),
        counter(
            "planet_socketstat_destroy_events_lost",
            "Times TCP destroy events were lost (receive-buffer overrun, or an event that could"
                + " not be read): the connections they announced count at their last-seen bytes.",
            result.destroyEventsLost()),
        Gauges.single(
            "planet_socketstat_destroy_events_buffer_bytes",
            "Receive buffer of the destroy event socket as the kernel granted it (16 MiB asked,"
                + " doubled by the kernel; without CAP_NET_ADMIN capped by net.core.rmem_max); 0"
                + " without destroy events.",
            result.destroyEventBufferBytes()),
        Gauges.single(
            "planet_socketstat_folded_peers",
            "Remote peers whose series are served as remote_address=\"other\", to keep the task"
                + " within its series budget.",
            result.foldedPeers()),
        connectFailures(result.health()),
        retransmitted(
            "planet_upstream_retransmitted_bytes",
            "Payload bytes this machine sent again on the TCP connections of an upstream"
                + " dependency since the exporter started, live and closed.",
            Direction.UPSTREAM,
            result.health()),
        retransmitted(
            "planet_downstream_retransmitted_bytes",
            "Payload bytes this machine sent again on the TCP connections of a downstream"
                + " dependency since the exporter started, live and closed.",
            Direction.DOWNSTREAM,
            result.health()),
        rtt(
            "planet_upstream_rtt_seconds",
            "Mean smoothed round-trip time of the live TCP connections of an upstream dependency"
                + " at the last collection.",
            Direction.UPSTREAM,
            result.health()),
        rtt(
            "planet_downstream_rtt_seconds",
            "Mean smoothed round-trip time of the live TCP connections of a downstream dependency"
                + " at the last collection.",
            Direction.DOWNSTREAM,
            result.health()),
        acceptQueue(
            "planet_server_accept_queue",
            "Connections waiting to be accepted by a TCP listener at the last collection.",
            AcceptQueue::waiting,
            result.acceptQueues()),
        acceptQueue(
            "planet_server_accept_queue_limit",
            "How many connections may wait to be accepted by a TCP listener (its backlog); at"
                + " the limit, new connections are dropped.",
            AcceptQueue::limit,
            result.acceptQueues()),
        unnamedContainers(result.unnamedContainers()),
        addressInfo(result.addresses()));
  }

  private static MetricSnapshot addressInfo(List<AddressOwner> addresses) {
    GaugeSnapshot.Builder builder =
        GaugeSnapshot.builder()
            .name("planet_address_info")
            .help(
                "An address of a network namespace this exporter reads, and who owns it: this"
                    + " host, and the workload, container or unit of the namespace's processes"
                    + " (empty for the host's own addresses).");
    for (AddressOwner owner : addresses) {
      builder.dataPoint(
          Gauges.point(
              Labels.of(
                  ADDRESS_LABEL_NAMES,
                  new String[] {
                    owner.address(),
                    owner.hostname(),
                    owner.workload(),
                    owner.container(),
                    owner.unit()
                  }),
              1));
    }
    return builder.build();
  }

  private static MetricSnapshot unnamedContainers(Map<WorkloadNames.Failure, Integer> unnamed) {
    GaugeSnapshot.Builder builder =
        GaugeSnapshot.builder()
            .name("planet_socketstat_unnamed_containers")
            .help(
                "Containers of the last collection's processes without a workload name, because"
                    + " their runtime's state file is missing (state directory not mounted?),"
                    + " unreadable, or invalid.");
    for (WorkloadNames.Failure failure : WorkloadNames.Failure.values()) {
      builder.dataPoint(Gauges.point("reason", failure.label(), unnamed.getOrDefault(failure, 0)));
    }
    return builder.build();
  }

  /**
   * The most series of the families other than upstreams, downstreams, their byte counters and
   * listeners: what to set aside from the budget for them.
   */
  public static int maxOwnSeries() {
    int byState = Protocol.values().length * SocketState.values().length;
    int unresolved = Protocol.values().length;
    int skipped = 3;
    int unnamedContainers = WorkloadNames.Failure.values().length;
    // unparsable lines, cache hits, fd walks, namespaces, skipped namespaces, duration, destroy
    // events, lost and buffer, folded
    int singles = 10;
    return byState
        + unresolved
        + skipped
        + unnamedContainers
        + ByteCountMode.values().length
        + singles;
  }

  private MetricSnapshot bytes(
      String name, String help, Direction direction, Map<Edge, ByteCount> bytes) {
    CounterSnapshot.Builder builder =
        CounterSnapshot.builder().name(name).help(help).unit(Unit.BYTES);
    for (Map.Entry<Edge, ByteCount> edge : sorted(bytes, direction)) {
      EdgeLabels labels = edge.getKey().labels();
      for (boolean egress : new boolean[] {true, false}) {
        builder.dataPoint(
            CounterDataPointSnapshot.builder()
                .labels(edgeLabels.withDirection(labels, egress))
                .value(egress ? edge.getValue().egress() : edge.getValue().ingress())
                .build());
      }
    }
    return builder.build();
  }

  /** Each upstream's failures of each reason that occurred. */
  private MetricSnapshot connectFailures(Map<Edge, EdgeHealth> health) {
    CounterSnapshot.Builder builder =
        CounterSnapshot.builder()
            .name("planet_upstream_connect_failures")
            .help(
                "TCP connections to an upstream dependency that never became established, since"
                    + " the exporter started: reason refused (a reset answered the SYN), timeout"
                    + " (no answer before the client or the kernel gave up), other.");
    for (Map.Entry<Edge, EdgeHealth> edge : sorted(health, Direction.UPSTREAM)) {
      for (ConnectFailure reason : ConnectFailure.values()) {
        long failures = edge.getValue().failures(reason);
        if (failures > 0) {
          builder.dataPoint(
              CounterDataPointSnapshot.builder()
                  .labels(edgeLabels.withReason(edge.getKey().labels(), reason))
                  .value(failures)
                  .build());
        }
      }
    }
    return builder.build();
  }

  private MetricSnapshot retransmitted(
      String name, String help, Direction direction, Map<Edge, EdgeHealth> health) {
    CounterSnapshot.Builder builder =
        CounterSnapshot.builder().name(name).help(help).unit(Unit.BYTES);
    for (Map.Entry<Edge, EdgeHealth> edge : sorted(health, direction)) {
      builder.dataPoint(
          CounterDataPointSnapshot.builder()
              .labels(edgeLabels.of(edge.getKey().labels()))
              .value(edge.getValue().retransmittedBytes())
              .build());
    }
    return builder.build();
  }

  private MetricSnapshot rtt(
      String name, String help, Direction direction, Map<Edge, EdgeHealth> health) {
    GaugeSnapshot.Builder builder =
        GaugeSnapshot.builder().name(name).help(help).unit(Unit.SECONDS);
    for (Map.Entry<Edge, EdgeHealth> edge : sorted(health, direction)) {
      if (edge.getValue().hasRtt()) {
        builder.dataPoint(
            Gauges.point(edgeLabels.of(edge.getKey().labels()), edge.getValue().rttSeconds()));
      }
    }
    return builder.build();
  }

  private static MetricSnapshot acceptQueue(
      String name,
      String help,
      ToDoubleFunction<AcceptQueue> value,
      Map<ListenerLabels, AcceptQueue> queues) {
    List<Map.Entry<ListenerLabels, AcceptQueue>> listeners = new ArrayList<>(queues.entrySet());
    listeners.sort(Map.Entry.comparingByKey(ListenerLabels.ORDER));
    GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
    for (Map.Entry<ListenerLabels, AcceptQueue> listener : listeners) {
      builder.dataPoint(
          Gauges.point(
              listenerLabels(listener.getKey()), value.applyAsDouble(listener.getValue())));
    }
    return builder.build();
  }

  /** The values of one direction's edges, in label order. */
  private static <T> List<Map.Entry<Edge, T>> sorted(Map<Edge, T> values, Direction direction) {
    List<Map.Entry<Edge, T>> edges = new ArrayList<>();
    for (Map.Entry<Edge, T> entry : values.entrySet()) {
      if (entry.getKey().direction() == direction) {
        edges.add(entry);
      }
    }
    edges.sort(Map.Entry.comparingByKey(Comparator.comparing(Edge::labels, EdgeLabels.ORDER)));
    return edges;
  }

  private static MetricSnapshot bytesMode(ByteCountMode mode) {
    GaugeSnapshot.Builder builder =
        GaugeSnapshot.builder()
            .name("planet_socketstat_bytes_mode")
            .help(
                "How closed connections are counted in the byte counters and edge health (1 for"
                    + " the mode in force): destroy_events (final counters from sock_diag destroy events), last_seen"
                    + " (counters at the last collection), off.");
    for (ByteCountMode each : ByteCountMode.values()) {
      builder.dataPoint(Gauges.point("mode", each.label(), each == mode ? 1 : 0));
    }
    return builder.build();
  }

  private static MetricSnapshot counter(String name, String help, long value) {
    return CounterSnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(CounterDataPointSnapshot.builder().value(value).build())
        .build();
  }

  private MetricSnapshot edgeGauge(String name, String help, List<EdgeLabels> series) {
    GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
    for (EdgeLabels labels : series) {
      builder.dataPoint(Gauges.point(edgeLabels.of(labels), 1));
    }
    return builder.build();
  }

  private static MetricSnapshot listenerGauge(List<ListenerLabels> series) {
    GaugeSnapshot.Builder builder =
        GaugeSnapshot.builder()
            .name("planet_server_process")
            .help("Listening socket of this machine and the process that owns it");
    for (ListenerLabels labels : series) {
      builder.dataPoint(Gauges.point(listenerLabels(labels), 1));
    }
    return builder.build();
  }

  /** The labels of a listener's series, {@code planet_server_process} and its accept queue. */
  private static Labels listenerLabels(ListenerLabels labels) {
    return Labels.of(
        LISTENER_LABEL_NAMES,
        new String[] {
          labels.localHostgroup(),
          labels.bind(),
          labels.processName(),
          Integer.toString(labels.port()),
          labels.protocol().label(),
          labels.container(),
          labels.unit(),
          labels.workload()
        });
  }

  private static MetricSnapshot socketsByState(SocketstatResult result) {
    GaugeSnapshot.Builder builder =
        GaugeSnapshot.builder()
            .name("planet_socketstat_sockets")
            .help("Sockets seen in the last collection, by protocol and state.");
    for (Protocol protocol : Protocol.values()) {
      Map<SocketState, Integer> counts = result.socketsByState().getOrDefault(protocol, Map.of());
      for (SocketState state : SocketState.values()) {
        Integer count = counts.get(state);
        if (count != null || ALWAYS_REPORTED.get(protocol).contains(state)) {
          builder.dataPoint(
              GaugeDataPointSnapshot.builder()
                  .labels(Labels.of("protocol", protocol.label(), "state", state.label()))
                  .value(count == null ? 0 : count)
                  .build());
        }
      }
    }
    return builder.build();
  }

  private static MetricSnapshot unresolved(SocketstatResult result) {
    GaugeSnapshot.Builder builder =
        GaugeSnapshot.builder()
            .name("planet_socketstat_unresolved_sockets")
            .help(
                "Sockets held by a process that could not be found in the last collection (it"
                    + " exited, or its fds may not be read).");
    for (Protocol protocol : Protocol.values()) {
      builder.dataPoint(
          GaugeDataPointSnapshot.builder()
              .labels(Labels.of("protocol", protocol.label()))
              .value(result.unresolvedByProtocol().getOrDefault(protocol, 0))
              .build());
    }
    return builder.build();
  }

  private static MetricSnapshot skippedProcesses(OwnerLookup.Stats owners) {
    return GaugeSnapshot.builder()
        .name("planet_socketstat_skipped_processes")
        .help(
            "Processes skipped by the last walk of /proc/<pid>/fd: vanished (exited meanwhile),"
                + " denied (fds may not be read), error (any other read error).")
        .dataPoint(Gauges.point("reason", "vanished", owners.vanished()))
        .dataPoint(Gauges.point("reason", "denied", owners.denied()))
        .dataPoint(Gauges.point("reason", "error", owners.failed()))
        .build();
  }
}
