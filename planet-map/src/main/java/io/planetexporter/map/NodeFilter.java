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
 *
 * <p>A node may be given as a workload namespace, {@code shop/*}: every node named {@code
 * shop/<something>} (the workloads of Kubernetes namespace or Compose project {@code shop}).
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

  /** Whether {@code node} is one of {@code nodes}, or in one of the namespaces among them. */
  static boolean matches(Set<String> nodes, String node) {
    if (nodes.contains(node)) {
      return true;
    }
    for (String each : nodes) {
      if (isNamespace(each)) {
        String prefix = each.substring(0, each.length() - 1);
        if (node.length() > prefix.length() && node.startsWith(prefix)) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code <namespace>/*}. */
  static boolean isNamespace(String node) {
    return node.length() > 2 && node.endsWith("/*");
  }

  /** The node literally, or a namespace's nodes, in RE2 syntax. */
  private static String quote(String node) {
    if (isNamespace(node)) {
      return quote(node.substring(0, node.length() - 1)) + ".+";
    }
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
