package io.planetexporter.map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planetexporter.map.Graph.Edge;
import io.planetexporter.map.Graph.Node;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * The graph as JSON, with the field names of Grafana's node graph panel ({@code id}, {@code title},
 * {@code subtitle}, {@code mainstat}, {@code secondarystat}; {@code source}, {@code target}), so
 * that a JSON data source in Grafana can draw it too. Bytes/s fields are absent when unknown.
 */
final class GraphJson {

  private static final ObjectMapper json = new ObjectMapper();

  private GraphJson() {}

  static String write(GraphService.Answer answer) {
    ObjectNode root = json.createObjectNode();
    ArrayNode nodes = root.putArray("nodes");
    for (Node node : answer.graph().nodes()) {
      ObjectNode n = nodes.addObject();
      n.put("id", node.id());
      n.put("title", node.id());
      n.put("subtitle", node.hosts() + (node.hosts() == 1 ? " host" : " hosts"));
      n.put("mainstat", "in " + rate(node.inBps()));
      n.put("secondarystat", "out " + rate(node.outBps()));
      n.put("hosts", node.hosts());
      put(n, "in_bps", node.inBps());
      put(n, "out_bps", node.outBps());
    }
    ArrayNode edges = root.putArray("edges");
    for (Edge edge : answer.graph().edges()) {
      ObjectNode e = edges.addObject();
      e.put("id", edge.id());
      e.put("source", edge.source());
      e.put("target", edge.target());
      e.put("port", edge.port());
      e.put("protocol", edge.protocol());
      ArrayNode processes = e.putArray("processes");
      edge.processes().forEach(processes::add);
      put(e, "egress_bps", edge.egressBps());
      put(e, "ingress_bps", edge.ingressBps());
      e.put("mainstat", mainstat(edge));
      if (!edge.bytesFrom().isEmpty()) {
        e.put("bytes_from", edge.bytesFrom());
      }
    }
    Set<String> recorded = new TreeSet<>();
    answer.recorded().forEach(kind -> recorded.add(kind.recordedName()));
    ArrayNode from = root.putArray("recorded_series");
    recorded.forEach(from::add);
    try {
      return json.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serializes", e);
    }
  }

  /** The JSON of an error: {@code {"error": "..."}}. */
  static String error(String message) {
    return json.createObjectNode().put("error", message).toString();
  }

  /** What an edge's line says: its bandwidth when known, else its port. */
  static String mainstat(Edge edge) {
    if (edge.egressBps().isPresent() || edge.ingressBps().isPresent()) {
      return rate(total(edge));
    }
    return edge.port() + "/" + edge.protocol();
  }

  /** Egress plus ingress, the unknown counting 0; empty when both are unknown. */
  static OptionalDouble total(Edge edge) {
    if (edge.egressBps().isEmpty() && edge.ingressBps().isEmpty()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(edge.egressBps().orElse(0) + edge.ingressBps().orElse(0));
  }

  /** Bytes per second in SI units, e.g. {@code 1.2 kB/s}; {@code n/a} when unknown. */
  static String rate(OptionalDouble bytesPerSecond) {
    if (bytesPerSecond.isEmpty()) {
      return "n/a";
    }
    double value = bytesPerSecond.getAsDouble();
    String[] units = {"B/s", "kB/s", "MB/s", "GB/s", "TB/s"};
    int unit = 0;
    while (value >= 999.95 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    return unit == 0 && value == Math.rint(value)
        ? String.format(Locale.ROOT, "%.0f %s", value, units[unit])
        : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  private static void put(ObjectNode object, String field, OptionalDouble value) {
    if (value.isPresent()) {
      object.put(field, value.getAsDouble());
    }
  }
}
