package io.planetexporter.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which series a query selects: every one, or those with an end among some nodes. The matchers
 * select too much on purpose (a raw series' address may equal a node's name without being that
 * node); the graph keeps only the edges whose ends it wants.
 */
final class NodeFilter {

  static final NodeFilter ALL = new NodeFilter(new TreeSet<>());

  private final SortedSet<String> nodes;

  private NodeFilter(SortedSet<String> nodes) {
    this.nodes = nodes;
  }

  /** Series with an end among {@code nodes}, which must not be empty. */
  static NodeFilter anyOf(Set<String> nodes) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("no node to select");
    }
    return new NodeFilter(new TreeSet<>(nodes));
  }

  /**
   * The label matchers, one per alternative (the query joins them with {@code or}): {@code [""]}
   * for every series, else one {@code label=~"a|b"} per label that may name a node.
   */
  List<String> matchers(List<String> localLabels, List<String> remoteLabels) {
    if (nodes.isEmpty()) {
      return List.of("");
    }
    String regex = promqlString(String.join("|", nodes.stream().map(NodeFilter::quote).toList()));
    List<String> matchers = new ArrayList<>();
    for (String label : localLabels) {
      matchers.add(label + "=~" + regex);
    }
    for (String label : remoteLabels) {
      matchers.add(label + "=~" + regex);
    }
    return matchers;
  }

  /** The node literally, in RE2 syntax. */
  private static String quote(String node) {
    StringBuilder quoted = new StringBuilder();
    for (char c : node.toCharArray()) {
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        quoted.append('\\');
      }
      quoted.append(c);
    }
    return quoted.toString();
  }

  /** A PromQL double-quoted string literal. */
  private static String promqlString(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
