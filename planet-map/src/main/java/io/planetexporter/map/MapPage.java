package io.planetexporter.map;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.html.HtmlEscapers;
import io.planetexporter.map.Graph.Edge;
import io.planetexporter.map.Graph.Node;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The map's HTML page: the graph embedded as JSON, the controls, and the tables' first rows (for
 * text browsers and readers without script); {@code /static/map.js} draws the graph on a canvas and
 * sorts and pages the tables from the JSON (docs/planet-map.md, "The page at fleet scale").
 */
final class MapPage {

  private MapPage() {}

  /**
   * Rows of each table written in the page: the page's script sorts and pages the whole graph from
   * the embedded JSON, and a 15,000-row table in the HTML alone takes the browser seconds to lay
   * out.
   */
  static final int TABLE_ROWS = 100;

  /**
   * The page of a graph; {@code request} says what was asked, for the form and the heading.
   *
   * @param graphJson the answer as {@link GraphJson#write(GraphService.Answer)} wrote it (a kept
   *     graph's is written once per refresh, not again for each page)
   */
  static String render(Request request, GraphService.Answer answer, byte[] graphJson) {
    StringBuilder html = head(request);
    Graph graph = answer.graph();
    html.append("<p id=\"summary\">")
        .append(graph.nodes().size())
        .append(graph.nodes().size() == 1 ? " node, " : " nodes, ")
        .append(graph.edges().size())
        .append(graph.edges().size() == 1 ? " edge" : " edges")
        .append(" seen over the last ")
        .append(escape(request.rangeText()))
        .append(
            request
                .hostgroup()
                .map(h -> " around " + escape(h) + " (depth " + request.depth() + ")")
                .orElse(""))
        .append(". <span id=\"age\"></span></p>\n")
        .append("<div id=\"toolbar\">\n<form id=\"find\" role=\"search\">")
        .append("<label for=\"find-node\">Find node</label>\n")
        .append("<input id=\"find-node\" list=\"node-ids\">\n")
        .append("<button type=\"submit\">Find</button> <span id=\"find-result\" role=\"status\">")
        .append("</span></form>\n")
        .append("<label><input type=\"checkbox\" id=\"problems\"> Problems only</label>\n")
        .append("<span id=\"groups\"></span>\n</div>\n")
        .append("<ul id=\"legend\" aria-label=\"Edge colours\"></ul>\n")
        .append("<p id=\"status\" role=\"status\"></p>\n")
        .append("<div id=\"map\" role=\"img\" aria-label=\"Drawing of the dependency map; the")
        .append(" same nodes and edges are in the tables below\"></div>\n")
        .append("<aside id=\"details\" aria-live=\"polite\"><p>Click a node or an edge for its")
        .append(" details.</p></aside>\n")
        .append("<script type=\"application/json\" id=\"graph\">")
        .append(scriptText(new String(graphJson, UTF_8)))
        .append("</script>\n");
    html.append("<table id=\"nodes\">\n<caption>Nodes")
        .append(firstRows(graph.nodes().size()))
        .append("</caption>\n<thead><tr>")
        .append("<th scope=\"col\">Node</th><th scope=\"col\">Hosts</th>")
        .append("<th scope=\"col\">In</th><th scope=\"col\">Out</th></tr></thead>\n<tbody>\n");
    for (Node node : graph.nodes().subList(0, Math.min(TABLE_ROWS, graph.nodes().size()))) {
      html.append("<tr data-node=\"")
          .append(escape(node.id()))
          .append("\"><th scope=\"row\"><a href=\"")
          .append(escape(focusLink(request, node.id())))
          .append("\">")
          .append(escape(node.id()))
          .append("</a></th><td>")
          .append(node.hosts())
          .append("</td><td>")
          .append(GraphJson.rate(node.inBps()))
          .append("</td><td>")
          .append(GraphJson.rate(node.outBps()))
          .append("</td></tr>\n");
    }
    html.append("</tbody>\n</table>\n");
    html.append("<table id=\"edges\">\n<caption>Edges (source connects to target)")
        .append(firstRows(graph.edges().size()))
        .append("</caption>\n<thead><tr><th scope=\"col\">Source</th>")
        .append("<th scope=\"col\">Target</th><th scope=\"col\">Port</th>")
        .append("<th scope=\"col\">Protocol</th><th scope=\"col\">Processes</th>")
        .append("<th scope=\"col\">Egress</th><th scope=\"col\">Ingress</th>")
        .append("<th scope=\"col\">Failures</th><th scope=\"col\">Retransmitted</th>")
        .append("<th scope=\"col\">RTT</th></tr></thead>\n<tbody>\n");
    for (Edge edge : graph.edges().subList(0, Math.min(TABLE_ROWS, graph.edges().size()))) {
      Graph.Health health = edge.health();
      html.append("<tr data-edge=\"")
          .append(escape(edge.id()))
          .append("\"><td>")
          .append(escape(edge.source()))
          .append("</td><td>")
          .append(escape(edge.target()))
          .append("</td><td>")
          .append(escape(edge.port()))
          .append("</td><td>")
          .append(escape(edge.protocol()))
          .append("</td><td>")
          .append(escape(String.join(", ", edge.processes())))
          .append("</td><td>")
          .append(GraphJson.rate(edge.egressBps()))
          .append("</td><td>")
          .append(GraphJson.rate(edge.ingressBps()))
          .append("</td><td>")
          .append(figure(health.connectFailuresPerSecond(), 1, "%.3g/s"))
          .append("</td><td>")
          .append(figure(health.retransmittedRatio(), 100, "%.2f %%"))
          .append("</td><td>")
          .append(figure(health.rttSeconds(), 1000, "%.1f ms"))
          .append("</td></tr>\n");
    }
    html.append("</tbody>\n</table>\n");
    return foot(html);
  }

  /** A caption's note when a table has more rows than the page writes. */
  private static String firstRows(int rows) {
    return rows <= TABLE_ROWS
        ? ""
        : ": "
            + rows
            + ", the first "
            + TABLE_ROWS
            + " here (the page's script pages through them all; /api/graph has them)";
  }

  /** A health figure times {@code scale} in {@code format}; {@code n/a} when unknown. */
  private static String figure(OptionalDouble value, double scale, String format) {
    return value.isEmpty()
        ? "n/a"
        : String.format(Locale.ROOT, format, value.getAsDouble() * scale);
  }

  /** The page of a failure: the message in an alert, no map. */
  static String error(Request request, String message) {
    StringBuilder html = head(request);
    html.append("<p id=\"error\" role=\"alert\">").append(escape(message)).append("</p>\n");
    return foot(html);
  }

  private static StringBuilder head(Request request) {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>planet-map")
        .append(request.hostgroup().map(h -> ": " + escape(h)).orElse(""))
        .append("</title>\n<link rel=\"stylesheet\" href=\"/static/map.css\">\n")
        .append("</head>\n<body>\n<header>\n<h1><a href=\"/?range=")
        .append(escape(request.rangeText()))
        .append("\">planet-map</a></h1>\n")
        .append("<form id=\"search\" method=\"get\" action=\"/\" role=\"search\">\n")
        .append("<label for=\"hostgroup\">Hostgroup</label>\n")
        .append("<input id=\"hostgroup\" name=\"hostgroup\" list=\"node-ids\" value=\"")
        .append(escape(request.hostgroup().orElse("")))
        .append("\">\n<datalist id=\"node-ids\"></datalist>\n")
        .append("<label for=\"depth\">Depth</label>\n")
        .append("<input id=\"depth\" name=\"depth\" type=\"number\" min=\"1\" max=\"")
        .append(Request.MAX_DEPTH)
        .append("\" value=\"")
        .append(request.depth())
        .append("\">\n<label for=\"range\">Range</label>\n")
        .append("<input id=\"range\" name=\"range\" size=\"6\" value=\"")
        .append(escape(request.rangeText()))
        // The page's script fills in `at` from the URL: the server passes it on unread.
        .append("\">\n<label for=\"at\">At</label>\n")
        .append("<input id=\"at\" name=\"at\" size=\"20\" placeholder=\"now\"")
        .append(" title=\"RFC 3339 or Unix seconds; empty for now\">\n")
        .append("<button type=\"button\" id=\"earlier\">Earlier</button>")
        .append("<button type=\"button\" id=\"later\">Later</button>")
        .append("<button type=\"button\" id=\"now\">Now</button>\n")
        .append("<button type=\"submit\">Focus</button>\n</form>\n")
        .append("<a id=\"diff\" href=\"/diff\">What changed</a>\n</header>\n<main>\n");
    return html;
  }

  private static String foot(StringBuilder html) {
    return html.append("</main>\n")
        .append("<script src=\"/static/map.js\"></script>\n</body>\n</html>\n")
        .toString();
  }

  static String focusLink(Request request, String node) {
    return "/?hostgroup="
        + java.net.URLEncoder.encode(node, java.nio.charset.StandardCharsets.UTF_8)
        + "&depth="
        + request.depth()
        + "&range="
        + request.rangeText();
  }

  /**
   * JSON as the text of a script element, with {@code <}, {@code >}, {@code &}, U+2028 and U+2029
   * written as JSON's escapes (backslash, {@code u003c} for {@code <}, and so on). No label can
   * then end the element ({@code </script>}) or open a comment in it ({@code <!--<script>} makes
   * the HTML parser take the element's own end tag for an inner script's, and the rest of the
   * document becomes script text); U+2028 and U+2029 end a line in JavaScript before ES2019, should
   * the text ever be read as script. The five occur in JSON only inside strings, where the escape
   * reads back as the character, so a JSON parser gives the original strings.
   *
   * <p>Embedding, rather than fetching {@code /api/graph} from the page, keeps the drawing and the
   * tables one answer of Prometheus's: one round of queries per page, never two graphs that differ.
   */
  static String scriptText(String json) {
    StringBuilder text = new StringBuilder(json.length() + 64);
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      switch (c) {
        case '<', '>', '&', '\u2028', '\u2029' -> text.append(String.format("\\u%04x", (int) c));
        default -> text.append(c);
      }
    }
    return text.toString();
  }

  static String escape(String text) {
    return HtmlEscapers.htmlEscaper().escape(text);
  }
}
