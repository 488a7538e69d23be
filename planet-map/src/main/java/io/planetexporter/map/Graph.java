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
   * @param health how well it works, from socketstat's edge health
   */
  record Edge(
      String source,
      String target,
      String port,
      String protocol,
      List<String> processes,
      OptionalDouble egressBps,
      OptionalDouble ingressBps,
      String bytesFrom,
      Health health) {
    Edge {
      requireNonNull(source, "source");
      requireNonNull(target, "target");
      requireNonNull(port, "port");
      requireNonNull(protocol, "protocol");
      processes = List.copyOf(processes);
      requireNonNull(egressBps, "egressBps");
      requireNonNull(ingressBps, "ingressBps");
      requireNonNull(bytesFrom, "bytesFrom");
      requireNonNull(health, "health");
    }

    /** An edge without health figures. */
    Edge(
        String source,
        String target,
        String port,
        String protocol,
        List<String> processes,
        OptionalDouble egressBps,
        OptionalDouble ingressBps,
        String bytesFrom) {
      this(
          source,
          target,
          port,
          protocol,
          processes,
          egressBps,
          ingressBps,
          bytesFrom,
          Health.UNKNOWN);
    }

    /** {@code source->target:port/protocol}, unique in a graph. */
    String id() {
      return source + "->" + target + ":" + port + "/" + protocol;
    }
  }

  /**
   * An edge's health over the map's range, each figure empty when no exporter reports it.
   *
   * @param connectFailuresPerSecond connects of the source that never became established, per
   *     second
   * @param retransmittedRatio payload sent again / payload sent, by the ends that report both
   * @param rttSeconds mean smoothed RTT of its connections: the source end's, else the target's
   */
  record Health(
      OptionalDouble connectFailuresPerSecond,
      OptionalDouble retransmittedRatio,
      OptionalDouble rttSeconds) {

    static final Health UNKNOWN =
        new Health(OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty());

    Health {
      requireNonNull(connectFailuresPerSecond, "connectFailuresPerSecond");
      requireNonNull(retransmittedRatio, "retransmittedRatio");
      requireNonNull(rttSeconds, "rttSeconds");
    }
  }
}
