package io.planetexporter.map;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.planetexporter.map.Graph.Edge;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The page of a diff ({@code /diff}): the changes as tables, rendered here (so the text holds every
 * change), and drawn by {@code /static/diff.js} with vis-network from the diff embedded as JSON
 * ({@link MapPage#scriptText}): added edges and nodes in green, removed ones dashed in red, changed
 * edges in amber.
 */
final class DiffPage {

  private DiffPage() {}

  static String render(DiffRequest request, GraphDiff diff) {
    StringBuilder html =
        head(request.filters(), Timestamps.format(request.from()), Timestamps.format(request.to()));
    html.append("<p id=\"summary\">")
        .append(diff.added().size())
        .append(" added, ")
        .append(diff.removed().size())
        .append(" removed, ")
        .append(diff.changed().size())
        .append(" changed by more than \u00d7")
        .append(String.format(Locale.ROOT, "%.0f", GraphDiff.FACTOR))
        .append(" between the ")
        .append(MapPage.escape(request.filters().rangeText()))
        .append(" up to ")
        .append(Timestamps.format(request.from()))
        .append(" and the ")
        .append(MapPage.escape(request.filters().rangeText()))
        .append(" up to ")
        .append(Timestamps.format(request.to()))
        .append(
            request
                .filters()
                .hostgroup()
                .map(
                    h ->
                        " around "
                            + MapPage.escape(h)
                            + " (depth "
                            + request.filters().depth()
                            + ")")
                .orElse(""))
        .append(".</p>\n")
        .append("<ul id=\"legend\" aria-label=\"Legend\">")
        .append("<li class=\"added\">added</li><li class=\"removed\">removed (dashed)</li>")
        .append("<li class=\"changed\">bandwidth changed</li><li class=\"kept\">unchanged</li>")
        .append("</ul>\n")
        .append("<div id=\"map\" role=\"img\" aria-label=\"Drawing of the changes; the same")
        .append(" edges are in the tables below\"></div>\n")
        .append("<script type=\"application/json\" id=\"diff\">")
        .append(MapPage.scriptText(new String(DiffJson.write(request, diff), UTF_8)))
        .append("</script>\n");
    edges(html, "added", "Added edges", diff.added());
    edges(html, "removed", "Removed edges", diff.removed());
    html.append("<table id=\"changed\">\n<caption>Edges whose bandwidth changed</caption>\n")
        .append("<thead><tr>")
        .append(columns())
        .append(
            "<th scope=\"col\">Before</th><th scope=\"col\">After</th></tr></thead>\n<tbody>\n");
    for (GraphDiff.Change change : diff.changed()) {
      row(html, change.edge())
          .append("<td>")
          .append(GraphJson.rate(OptionalDouble.of(change.beforeBps())))
          .append("</td><td>")
          .append(GraphJson.rate(OptionalDouble.of(change.afterBps())))
          .append("</td></tr>\n");
    }
    html.append("</tbody>\n</table>\n");
    html.append("<table id=\"nodes\">\n<caption>Nodes added or removed</caption>\n")
        .append("<thead><tr><th scope=\"col\">Node</th><th scope=\"col\">Change</th></tr>")
        .append("</thead>\n<tbody>\n");
    for (GraphDiff.NodeChange node : diff.nodes()) {
      if (node.status() != GraphDiff.Status.KEPT) {
        html.append("<tr data-node=\"")
            .append(MapPage.escape(node.id()))
            .append("\"><th scope=\"row\">")
            .append(MapPage.escape(node.id()))
            .append("</th><td>")
            .append(node.status().name().toLowerCase(Locale.ROOT))
            .append("</td></tr>\n");
      }
    }
    html.append("</tbody>\n</table>\n");
    return foot(html);
  }

  /**
   * The page of a failure: the message in an alert, no drawing; the form holds {@code request}, or
   * the defaults when the parameters did not parse (empty).
   */
  static String error(Optional<DiffRequest> request, String message) {
    StringBuilder html =
        request
            .map(r -> head(r.filters(), Timestamps.format(r.from()), Timestamps.format(r.to())))
            .orElseGet(() -> head(Request.parse(null), "", ""));
    return foot(
        html.append("<p id=\"error\" role=\"alert\">")
            .append(MapPage.escape(message))
            .append("</p>\n"));
  }

  private static void edges(StringBuilder html, String id, String caption, List<Edge> edges) {
    html.append("<table id=\"")
        .append(id)
        .append("\">\n<caption>")
        .append(caption)
        .append("</caption>\n<thead><tr>")
        .append(columns())
        .append("</tr></thead>\n<tbody>\n");
    for (Edge edge : edges) {
      row(html, edge).append("</tr>\n");
    }
    html.append("</tbody>\n</table>\n");
  }

  private static String columns() {
    return "<th scope=\"col\">Source</th><th scope=\"col\">Target</th>"
        + "<th scope=\"col\">Port</th><th scope=\"col\">Protocol</th>"
        + "<th scope=\"col\">Processes</th>";
  }

  /** An edge's row, left open for more cells. */
  private static StringBuilder row(StringBuilder html, Edge edge) {
    return html.append("<tr data-edge=\"")
        .append(MapPage.escape(edge.id()))
        .append("\"><td>")
        .append(MapPage.escape(edge.source()))
        .append("</td><td>")
        .append(MapPage.escape(edge.target()))
        .append("</td><td>")
        .append(MapPage.escape(edge.port()))
        .append("</td><td>")
        .append(MapPage.escape(edge.protocol()))
        .append("</td><td>")
        .append(MapPage.escape(String.join(", ", edge.processes())))
        .append("</td>");
  }

  private static StringBuilder head(Request filters, String from, String to) {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>planet-map: what changed</title>\n")
        .append("<link rel=\"stylesheet\" href=\"/static/diff.css\">\n")
        .append("</head>\n<body>\n<header>\n<h1><a href=\"/?range=")
        .append(MapPage.escape(filters.rangeText()))
        .append("\">planet-map</a>: what changed</h1>\n")
        .append("<form id=\"search\" method=\"get\" action=\"/diff\">\n");
    field(html, "from", "From", from);
    field(html, "to", "To", to);
    field(html, "range", "Range", filters.rangeText());
    field(html, "hostgroup", "Hostgroup", filters.hostgroup().orElse(""));
    field(html, "depth", "Depth", Integer.toString(filters.depth()));
    return html.append("<button type=\"submit\">Compare</button>\n</form>\n</header>\n<main>\n");
  }

  private static void field(StringBuilder html, String name, String label, String value) {
    html.append("<label for=\"")
        .append(name)
        .append("\">")
        .append(label)
        .append("</label>\n<input id=\"")
        .append(name)
        .append("\" name=\"")
        .append(name)
        .append("\" value=\"")
        .append(MapPage.escape(value))
        .append("\">\n");
  }

  private static String foot(StringBuilder html) {
    return html.append("</main>\n")
        .append(
            "<script src=\"/webjars/vis-network/standalone/umd/vis-network.min.js\"></script>\n")
        .append("<script src=\"/static/diff.js\"></script>\n</body>\n</html>\n")
        .toString();
  }
}
