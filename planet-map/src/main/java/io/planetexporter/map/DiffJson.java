package io.planetexporter.map;

import com.fasterxml.jackson.core.JsonGenerator;
import io.planetexporter.map.Graph.Edge;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * A diff as JSON: {@code {"from", "to", "range", "factor", "nodes": [{"id", "title", "status"}],
 * "added": [edge...], "removed": [edge...], "changed": [edge... with "before_bps", "after_bps"]}},
 * times in RFC 3339, edges with the fields of {@code /api/graph}'s ({@code changed}'s as at {@code
 * to}), {@code status} one of {@code added}, {@code removed}, {@code kept}.
 */
final class DiffJson {

  private DiffJson() {}

  static byte[] write(DiffRequest request, GraphDiff diff) {
    return GraphJson.written(out -> write(request, diff, out));
  }

  private static void write(DiffRequest request, GraphDiff diff, JsonGenerator out)
      throws IOException {
    out.writeStartObject();
    out.writeStringField("from", Timestamps.format(request.from()));
    out.writeStringField("to", Timestamps.format(request.to()));
    out.writeStringField("range", request.filters().rangeText());
    out.writeNumberField("factor", GraphDiff.FACTOR);
    out.writeArrayFieldStart("nodes");
    for (GraphDiff.NodeChange node : diff.nodes()) {
      out.writeStartObject();
      out.writeStringField("id", node.id());
      out.writeStringField("title", node.id());
      out.writeStringField("status", node.status().name().toLowerCase(Locale.ROOT));
      out.writeEndObject();
    }
    out.writeEndArray();
    edges(out, "added", diff.added());
    edges(out, "removed", diff.removed());
    out.writeArrayFieldStart("changed");
    for (GraphDiff.Change change : diff.changed()) {
      out.writeStartObject();
      GraphJson.edge(out, change.edge());
      out.writeNumberField("before_bps", change.beforeBps());
      out.writeNumberField("after_bps", change.afterBps());
      out.writeEndObject();
    }
    out.writeEndArray();
    out.writeEndObject();
  }

  private static void edges(JsonGenerator out, String field, List<Edge> edges) throws IOException {
    out.writeArrayFieldStart(field);
    for (Edge edge : edges) {
      out.writeStartObject();
      GraphJson.edge(out, edge);
      out.writeEndObject();
    }
    out.writeEndArray();
  }
}
