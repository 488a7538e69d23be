package io.planetexporter.task.socketstat.metrics;

import static java.util.Objects.requireNonNull;
import static java.util.stream.Collectors.toUnmodifiableMap;

import io.planetexporter.task.socketstat.bytes.ByteCount;
import io.planetexporter.task.socketstat.bytes.ByteCountMode;
import io.planetexporter.task.socketstat.classify.Edge;
import io.planetexporter.task.socketstat.classify.EdgesAndListeners;
import io.planetexporter.task.socketstat.classify.ListenerLabels;
import io.planetexporter.task.socketstat.health.AcceptQueue;
import io.planetexporter.task.socketstat.health.EdgeHealth;
import io.planetexporter.task.socketstat.owner.OwnerLookup;
import io.planetexporter.task.socketstat.runtime.WorkloadNames;
import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.SocketState;
import java.util.List;
import java.util.Map;

/**
 * Everything one collection found, published for scrapes.
 *
 * @param dependencies the series to serve
 * @param socketsByState how many sockets were seen, by protocol and then state
 * @param unresolvedByProtocol sockets with an inode whose process was not found
 * @param unparsableLines lines of {@code /proc/net/*} skipped
 * @param owners how the socket owners were found
 * @param namespaces network namespaces whose sockets were read, the exporter's own included
 * @param skippedNamespaces network namespaces whose processes all exited before their table was
 *     read
 * @param durationSeconds how long the collection took
 * @param bytes the payload bytes of each edge with TCP byte counters
 * @param bytesMode how closed connections are counted
 * @param destroyEvents destroy events received since the exporter started
 * @param destroyEventsLost times destroy events were lost since the exporter started
 * @param destroyEventBufferBytes the destroy event socket's receive buffer, 0 without one
 * @param foldedPeers remote peers folded into {@code remote_address="other"} to meet the budget
 * @param health the health of each edge with TCP counters, empty with health off
 * @param acceptQueues the accept queue of each TCP listener, empty with health off
 * @param addresses the owner of each address of each namespace read, sorted
 * @param unnamedContainers containers of this collection's processes without a workload name, by
 *     why
 */
public record SocketstatResult(
    EdgesAndListeners dependencies,
    Map<Protocol, Map<SocketState, Integer>> socketsByState,
    Map<Protocol, Integer> unresolvedByProtocol,
    int unparsableLines,
    OwnerLookup.Stats owners,
    int namespaces,
    int skippedNamespaces,
    double durationSeconds,
    Map<Edge, ByteCount> bytes,
    ByteCountMode bytesMode,
    long destroyEvents,
    long destroyEventsLost,
    long destroyEventBufferBytes,
    int foldedPeers,
    Map<Edge, EdgeHealth> health,
    Map<ListenerLabels, AcceptQueue> acceptQueues,
    List<AddressOwner> addresses,
    Map<WorkloadNames.Failure, Integer> unnamedContainers) {

  public SocketstatResult {
    requireNonNull(dependencies, "dependencies");
    socketsByState =
        socketsByState.entrySet().stream()
            .collect(toUnmodifiableMap(Map.Entry::getKey, e -> Map.copyOf(e.getValue())));
    unresolvedByProtocol = Map.copyOf(unresolvedByProtocol);
    requireNonNull(owners, "owners");
    bytes = Map.copyOf(bytes);
    requireNonNull(bytesMode, "bytesMode");
    health = Map.copyOf(health);
    acceptQueues = Map.copyOf(acceptQueues);
    addresses = List.copyOf(addresses);
    unnamedContainers = Map.copyOf(unnamedContainers);
  }
}
