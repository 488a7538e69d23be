package io.planetexporter.map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.planetexporter.api.GoDuration;
import io.planetexporter.map.Graph.Edge;
import io.planetexporter.map.Graph.Node;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * The graph as JSON, with the field names of Grafana's node graph panel ({@code id}, {@code title},
 * {@code subtitle}, {@code mainstat}, {@code secondarystat}; {@code source}, {@code target}), so
 * that a JSON data source in Grafana can draw it too. Bytes/s and health fields are absent when
 * unknown.
 */
final class GraphJson {

  private static final ObjectMapper json = new ObjectMapper();

  private GraphJson() {}

  /**
   * The answer as UTF-8 JSON, written field by field (no tree of the whole graph first): {@code
   * nodes}, {@code edges}, {@code recorded_series}, {@code computed_at} (seconds since the epoch)
   * and, for a kept graph whose refresh failed, {@code refresh_error}.
   */
  static byte[] write(GraphService.Answer answer) {
    return written(out -> write(answer, out));
  }

  private static void write(GraphService.Answer answer, JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeArrayFieldStart("nodes");
    for (Node node : answer.graph().nodes()) {
      out.writeStartObject();
      out.writeStringField("id", node.id());
      out.writeStringField("title", node.id());
      out.writeStringField("subtitle", node.hosts() + (node.hosts() == 1 ? " host" : " hosts"));
      out.writeStringField("mainstat", "in " + rate(node.inBps()));
      out.writeStringField("secondarystat", "out " + rate(node.outBps()));
      out.writeNumberField("hosts", node.hosts());
      put(out, "in_bps", node.inBps());
      put(out, "out_bps", node.outBps());
      out.writeEndObject();
    }
    out.writeEndArray();
    out.writeArrayFieldStart("edges");
    for (Edge edge : answer.graph().edges()) {
      out.writeStartObject();
      edge(out, edge);
      out.writeEndObject();
    }
    out.writeEndArray();
    recorded(out, answer.recorded());
    out.writeNumberField("computed_at", answer.computedAt().getEpochSecond());
    if (answer.refreshError().isPresent()) {
      out.writeStringField("refresh_error", answer.refreshError().get());
    }
    out.writeEndObject();
  }

  /** An edge's fields, in an object the caller opened. */
  static void edge(JsonGenerator out, Edge edge) throws IOException {
    out.writeStringField("id", edge.id());
    out.writeStringField("source", edge.source());
    out.writeStringField("target", edge.target());
    out.writeStringField("port", edge.port());
    out.writeStringField("protocol", edge.protocol());
    out.writeArrayFieldStart("processes");
    for (String process : edge.processes()) {
      out.writeString(process);
    }
    out.writeEndArray();
    put(out, "egress_bps", edge.egressBps());
    put(out, "ingress_bps", edge.ingressBps());
    out.writeStringField("mainstat", mainstat(edge));
    if (!edge.bytesFrom().isEmpty()) {
      out.writeStringField("bytes_from", edge.bytesFrom());
    }
    health(out, edge.health());
  }

  /**
   * An edge's history: {@code {"id", "source", "target", "port", "protocol", "range", "step",
   * "points": [{"time", "egress_bps", "ingress_bps", "bytes_from", "connect_failures_per_second",
   * "retransmitted_ratio", "rtt_seconds"}, ...]}}, times in seconds since the epoch, bytes/s and
   * health fields absent when unknown ({@code bytes_from} empty without byte data).
   */
  static byte[] write(GraphService.History history) {
    return written(out -> write(history, out));
  }

  private static void write(GraphService.History history, JsonGenerator out) throws IOException {
    EdgeRequest edge = history.request();
    out.writeStartObject();
    out.writeStringField(
        "id", edge.source() + "->" + edge.target() + ":" + edge.port() + "/" + edge.protocol());
    out.writeStringField("source", edge.source());
    out.writeStringField("target", edge.target());
    out.writeStringField("port", edge.port());
    out.writeStringField("protocol", edge.protocol());
    out.writeStringField("range", GoDuration.format(edge.range()));
    out.writeStringField("step", GoDuration.format(history.step()));
    out.writeArrayFieldStart("points");
    for (GraphService.History.Point point : history.points()) {
      out.writeStartObject();
      out.writeNumberField("time", point.time());
      put(out, "egress_bps", point.egressBps());
      put(out, "ingress_bps", point.ingressBps());
      out.writeStringField("bytes_from", point.from());
      health(out, point.health());
      out.writeEndObject();
    }
    out.writeEndArray();
    recorded(out, history.recorded());
    out.writeEndObject();
  }

  /** Writes one JSON document. */
  @FunctionalInterface
  interface Document {
    void write(JsonGenerator out) throws IOException;
  }

  /** The document as UTF-8 bytes, written field by field (no tree of it first). */
  static byte[] written(Document document) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
    try (JsonGenerator out = json.getFactory().createGenerator(bytes)) {
      document.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory does not fail", e);
    }
    return bytes.toByteArray();
  }

  private static void recorded(JsonGenerator out, Set<Kind> kinds) throws IOException {
    Set<String> recorded = new TreeSet<>();
    kinds.forEach(kind -> recorded.add(kind.recordedName()));
    out.writeArrayFieldStart("recorded_series");
    for (String name : recorded) {
      out.writeString(name);
    }
    out.writeEndArray();
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

  /** An edge's health fields, each absent when unknown. */
  private static void health(JsonGenerator out, Graph.Health health) throws IOException {
    put(out, "connect_failures_per_second", health.connectFailuresPerSecond());
    put(out, "retransmitted_ratio", health.retransmittedRatio());
    put(out, "rtt_seconds", health.rttSeconds());
  }

  private static void put(JsonGenerator out, String field, OptionalDouble value)
      throws IOException {
    if (value.isPresent()) {
      out.writeNumberField(field, value.getAsDouble());
    }
  }
}
