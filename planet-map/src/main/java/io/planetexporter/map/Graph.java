package io.planetexporter.map;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The dependency map: nodes (hostgroups, or addresses of hosts without one) and the edges between
 * them, each sorted by id.
 */
record Graph(List<Node> nodes, List<Edge> edges) {

  Graph {
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
  }

  Optional<Node> node(String id) {
    return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
  }

  /**
   * One node.
   *
   * @param id the hostgroup, or the address of a host without one
   * @param hosts exporters reporting for it, else the distinct addresses its peers see
   * @param inBps bytes/s its peers send it, when any edge of it has byte data
   * @param outBps bytes/s it sends, likewise
   */
  record Node(String id, long hosts, OptionalDouble inBps, OptionalDouble outBps) {
    Node {
      requireNonNull(id, "id");
      requireNonNull(inBps, "inBps");
      requireNonNull(outBps, "outBps");
    }
  }

  /**
   * One dependency: {@code source} connects to {@code target}'s {@code port}.
   *
   * @param processes process names seen on either end, sorted, without empty names
   * @param egressBps bytes/s the source sends on it, when known
   * @param ingressBps bytes/s the source receives on it, when known
   * @param bytesFrom where the bytes/s come from: {@code socketstat} (per edge), {@code darkstat}
   *     (per pair of nodes, no port), or empty when there is no byte data
   */
  record Edge(
      String source,
      String target,
      String port,
      String protocol,
      List<String> processes,
      OptionalDouble egressBps,
      OptionalDouble ingressBps,
      String bytesFrom) {
    Edge {
      requireNonNull(source, "source");
      requireNonNull(target, "target");
      requireNonNull(port, "port");
      requireNonNull(protocol, "protocol");
      processes = List.copyOf(processes);
      requireNonNull(egressBps, "egressBps");
      requireNonNull(ingressBps, "ingressBps");
      requireNonNull(bytesFrom, "bytesFrom");
    }

    /** {@code source->target:port/protocol}, unique in a graph. */
    String id() {
      return source + "->" + target + ":" + port + "/" + protocol;
    }
  }
}
