package io.planetexporter.map;

import io.planetexporter.map.Graph.Edge;
import io.planetexporter.map.Graph.Node;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns the answers of the {@link Kind} queries into a {@link Graph}: a pure function.
 *
 * <ul>
 *   <li>An upstream series is the edge local → remote; a downstream series the edge remote → local.
 *       Both ends of one connection give the same key (source, target, port, protocol), so they
 *       make one edge; its processes are those of both ends.
 *   <li>Bytes/s from the source's point of view: socketstat's upstream counters as they are, its
 *       downstream counters turned around; when both ends report, the larger of the two (each end
 *       may miss hosts that run no exporter). Only when an edge has no socketstat bytes, darkstat's
 *       per-pair bytes (which know no port: every edge of the pair shows the pair's traffic).
 *   <li>Health: connect failures/s of the source end (an edge known only from its failures, a
 *       dependency that cannot be reached, is an edge too); retransmitted / sent payload over the
 *       ends that report both (socketstat bytes only); the RTT the source end sees, else the
 *       target's.
 *   <li>Hosts of a node: its exporters' count, else the addresses its peers see, else 1.
 * </ul>
 */
final class GraphBuilder {

  private GraphBuilder() {}

  /** What the queries answered, by kind; a kind without answer is empty. */
  static Graph build(Map<Kind, ? extends Collection<QuerySeries>> answers) {
    Map<EdgeKey, EdgeParts> edges = new HashMap<>();
    for (QuerySeries s : of(answers, Kind.UPSTREAM)) {
      edges
          .computeIfAbsent(edgeKey(s, false), k -> new EdgeParts())
          .processes
          .add(s.label("process_name"));
    }
    for (QuerySeries s : of(answers, Kind.DOWNSTREAM)) {
      edges
          .computeIfAbsent(edgeKey(s, true), k -> new EdgeParts())
          .processes
          .add(s.label("process_name"));
    }
    for (QuerySeries s : of(answers, Kind.UPSTREAM_CONNECT_FAILURES)) {
      EdgeParts edge = edges.computeIfAbsent(edgeKey(s, false), k -> new EdgeParts());
      edge.failures = plus(edge.failures, s.value());
    }
    for (QuerySeries s : of(answers, Kind.UPSTREAM_RETRANSMITTED)) {
      EdgeParts edge = edges.get(edgeKey(s, false));
      if (edge != null) {
        edge.sourceRetransmitted = plus(edge.sourceRetransmitted, s.value());
      }
    }
    for (QuerySeries s : of(answers, Kind.DOWNSTREAM_RETRANSMITTED)) {
      EdgeParts edge = edges.get(edgeKey(s, true));
      if (edge != null) {
        edge.targetRetransmitted = plus(edge.targetRetransmitted, s.value());
      }
    }
    for (QuerySeries s : of(answers, Kind.UPSTREAM_RTT)) {
      EdgeParts edge = edges.get(edgeKey(s, false));
      if (edge != null) {
        edge.sourceRtt = s.value();
      }
    }
    for (QuerySeries s : of(answers, Kind.DOWNSTREAM_RTT)) {
      EdgeParts edge = edges.get(edgeKey(s, true));
      if (edge != null) {
        edge.targetRtt = s.value();
      }
    }
    for (QuerySeries s : of(answers, Kind.UPSTREAM_BYTES)) {
      EdgeParts edge = edges.get(edgeKey(s, false));
      if (edge != null) {
        edge.socketstat.add(s.label("direction"), false, s.value());
      }
    }
    for (QuerySeries s : of(answers, Kind.DOWNSTREAM_BYTES)) {
      EdgeParts edge = edges.get(edgeKey(s, true));
      if (edge != null) {
        edge.socketstat.add(s.label("direction"), true, s.value());
      }
    }
    Map<List<String>, Rates> pairs = new HashMap<>();
    for (QuerySeries s : of(answers, Kind.TRAFFIC_BYTES)) {
      String local = s.label("local_node");
      String remote = s.label("remote_node");
      // Kept from the local end's point of view under (local, remote), turned for the other order.
      pairs
          .computeIfAbsent(List.of(local, remote), k -> new Rates())
          .add(s.label("direction"), false, s.value());
      pairs
          .computeIfAbsent(List.of(remote, local), k -> new Rates())
          .add(s.label("direction"), true, s.value());
    }

    List<Edge> result = new ArrayList<>(edges.size());
    Set<String> ids = new TreeSet<>();
    for (Map.Entry<EdgeKey, EdgeParts> entry : edges.entrySet()) {
      EdgeKey key = entry.getKey();
      EdgeParts parts = entry.getValue();
      Rates rates = parts.socketstat;
      String from = "socketstat";
      if (rates.isEmpty()) {
        rates = pairs.getOrDefault(List.of(key.source, key.target), new Rates());
        from = rates.isEmpty() ? "" : "darkstat";
      }
      parts.processes.remove("");
      result.add(
          new Edge(
              key.source,
              key.target,
              key.port,
              key.protocol,
              List.copyOf(parts.processes),
              rates.egress(),
              rates.ingress(),
              from,
              parts.health()));
      ids.add(key.source);
      ids.add(key.target);
    }

    Map<String, Long> hosts = new HashMap<>();
    for (QuerySeries s : of(answers, Kind.REMOTE_ADDRESSES)) {
      hosts.merge(s.label("remote_node"), (long) s.value(), Long::sum);
    }
    // Exporters' own count wins over what peers see.
    Map<String, Long> exporters = new HashMap<>();
    for (QuerySeries s : of(answers, Kind.HOSTS)) {
      exporters.merge(s.label("local_node"), (long) s.value(), Long::sum);
    }
    hosts.putAll(exporters);
    ids.addAll(exporters.keySet());

    // Bytes/s into and out of each node over its edges, in one pass: [in, out], NaN while unknown.
    Map<String, double[]> traffic = new HashMap<>();
    for (Edge e : result) {
      add(traffic, e.target(), 0, e.egressBps());
      add(traffic, e.target(), 1, e.ingressBps());
      add(traffic, e.source(), 0, e.ingressBps());
      add(traffic, e.source(), 1, e.egressBps());
    }
    List<Node> nodes = new ArrayList<>();
    for (String id : ids) {
      double[] inOut = traffic.getOrDefault(id, new double[] {Double.NaN, Double.NaN});
      nodes.add(new Node(id, hosts.getOrDefault(id, 1L), known(inOut[0]), known(inOut[1])));
    }
    return new Graph(nodes, sortedById(result));
  }

  /** The edges in the order of their ids, each id made once (not once per comparison). */
  private static List<Edge> sortedById(List<Edge> edges) {
    Map<String, Edge> byId = new TreeMap<>();
    for (Edge edge : edges) {
      byId.put(edge.id(), edge);
    }
    return new ArrayList<>(byId.values());
  }

  private static Collection<QuerySeries> of(
      Map<Kind, ? extends Collection<QuerySeries>> answers, Kind kind) {
    Collection<QuerySeries> samples = answers.get(kind);
    return samples == null ? List.of() : samples;
  }

  private static void add(
      Map<String, double[]> traffic, String node, int index, OptionalDouble rate) {
    if (rate.isPresent()) {
      double[] inOut = traffic.computeIfAbsent(node, n -> new double[] {Double.NaN, Double.NaN});
      inOut[index] =
          Double.isNaN(inOut[index]) ? rate.getAsDouble() : inOut[index] + rate.getAsDouble();
    }
  }

  private static OptionalDouble known(double value) {
    return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
  }

  private static EdgeKey edgeKey(QuerySeries s, boolean fromServingEnd) {
    String local = s.label("local_node");
    String remote = s.label("remote_node");
    return fromServingEnd
        ? new EdgeKey(remote, local, s.label("port"), s.label("protocol"))
        : new EdgeKey(local, remote, s.label("port"), s.label("protocol"));
  }

  private record EdgeKey(String source, String target, String port, String protocol) {}

  /** A sum of which any part may be unknown (NaN while no part is known). */
  private static double plus(double sum, double value) {
    return Double.isNaN(sum) ? value : sum + value;
  }

  private static final class EdgeParts {
    final Set<String> processes = new TreeSet<>();
    final Rates socketstat = new Rates();
    double failures = Double.NaN;
    double sourceRetransmitted = Double.NaN;
    double targetRetransmitted = Double.NaN;
    double sourceRtt = Double.NaN;
    double targetRtt = Double.NaN;

    Graph.Health health() {
      // Each end's retransmissions over what that end sent: the source's egress, the target's
      // egress (the source's ingress).
      double retransmitted = Double.NaN;
      double sent = Double.NaN;
      if (!Double.isNaN(sourceRetransmitted) && socketstat.egress().isPresent()) {
        retransmitted = sourceRetransmitted;
        sent = socketstat.egress().getAsDouble();
      }
      if (!Double.isNaN(targetRetransmitted) && socketstat.ingress().isPresent()) {
        retransmitted = plus(retransmitted, targetRetransmitted);
        sent = plus(sent, socketstat.ingress().getAsDouble());
      }
      return new Graph.Health(
          known(failures),
          sent > 0 ? OptionalDouble.of(retransmitted / sent) : OptionalDouble.empty(),
          known(Double.isNaN(sourceRtt) ? targetRtt : sourceRtt));
    }
  }

  /**
   * Bytes/s of an edge from its source's point of view, as each end reported it: [egress, ingress]
   * from the source's end, then [egress, ingress] from the target's end turned around.
   */
  private static final class Rates {
    private final double[] fromSource = {Double.NaN, Double.NaN};
    private final double[] fromTarget = {Double.NaN, Double.NaN};

    /**
     * @param direction {@code egress} or {@code ingress}, from the reporting end
     * @param fromTargetEnd whether the reporting end is the edge's target
     */
    void add(String direction, boolean fromTargetEnd, double bytesPerSecond) {
      boolean egress = direction.equals("egress");
      if (!egress && !direction.equals("ingress")) {
        return;
      }
      double[] side = fromTargetEnd ? fromTarget : fromSource;
      // What the target sends is what the source receives.
      int index = egress != fromTargetEnd ? 0 : 1;
      side[index] = Double.isNaN(side[index]) ? bytesPerSecond : side[index] + bytesPerSecond;
    }

    boolean isEmpty() {
      return egress().isEmpty() && ingress().isEmpty();
    }

    OptionalDouble egress() {
      return larger(fromSource[0], fromTarget[0]);
    }

    OptionalDouble ingress() {
      return larger(fromSource[1], fromTarget[1]);
    }

    private static OptionalDouble larger(double a, double b) {
      if (Double.isNaN(a) && Double.isNaN(b)) {
        return OptionalDouble.empty();
      }
      return OptionalDouble.of(Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b));
    }
  }
}
