package io.planetexporter.map;

import io.planetexporter.map.Graph.Edge;
import io.planetexporter.map.Graph.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What changed between two graphs: edges (by {@link Edge#id()}: nodes, port, protocol) only in the
 * later one ({@code added}), only in the earlier one ({@code removed}), and in both with a
 * bandwidth that moved by more than {@link #FACTOR} either way ({@code changed}); every node these
 * edges name, and every node only in one graph, sorted by id.
 */
record GraphDiff(
    List<NodeChange> nodes, List<Edge> added, List<Edge> removed, List<Change> changed) {

  /**
   * An edge's bandwidth (egress plus ingress) has changed when the larger of its two figures is
   * more than twice the smaller: a doubling or a halving. A figure of 0 against any traffic is a
   * change; an edge without byte data at either time has none.
   */
  static final double FACTOR = 2;

  GraphDiff {
    nodes = List.copyOf(nodes);
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    changed = List.copyOf(changed);
  }

  /** How a node fares between the two graphs. */
  enum Status {
    ADDED,
    REMOVED,
    KEPT
  }

  /** A node named by the diff, and whether it is only in the later graph, the earlier, or both. */
  record NodeChange(String id, Status status) {}

  /**
   * An edge in both graphs whose bandwidth moved.
   *
   * @param edge the edge as in the later graph
   * @param beforeBps its bytes/s in the earlier graph
   * @param afterBps its bytes/s in the later graph
   */
  record Change(Edge edge, double beforeBps, double afterBps) {}

  /** Nothing added, removed or changed: the exit status 0 of {@code planet-map diff}. */
  boolean isEmpty() {
    return added.isEmpty()
        && removed.isEmpty()
        && changed.isEmpty()
        && nodes.stream().allMatch(n -> n.status() == Status.KEPT);
  }

  /** The changes from {@code before} to {@code after}. */
  static GraphDiff of(Graph before, Graph after) {
    Map<String, Edge> was = byId(before.edges(), Edge::id);
    Map<String, Edge> is = byId(after.edges(), Edge::id);
    List<Edge> added = new ArrayList<>();
    List<Change> changed = new ArrayList<>();
    for (Edge edge : is.values()) {
      Edge old = was.get(edge.id());
      if (old == null) {
        added.add(edge);
      } else {
        moved(old, edge).ifPresent(changed::add);
      }
    }
    List<Edge> removed = was.values().stream().filter(e -> !is.containsKey(e.id())).toList();
    Set<String> wasNodes = byId(before.nodes(), Node::id).keySet();
    Set<String> isNodes = byId(after.nodes(), Node::id).keySet();
    Set<String> named = new TreeSet<>();
    for (Edge edge : added) {
      named.addAll(List.of(edge.source(), edge.target()));
    }
    for (Edge edge : removed) {
      named.addAll(List.of(edge.source(), edge.target()));
    }
    for (Change change : changed) {
      named.addAll(List.of(change.edge().source(), change.edge().target()));
    }
    named.addAll(symmetricDifference(wasNodes, isNodes));
    List<NodeChange> nodes = new ArrayList<>();
    for (String id : named) {
      boolean inBefore = wasNodes.contains(id);
      boolean inAfter = isNodes.contains(id);
      // An edge's end the other end reports may be no node of the map itself: it counts as kept.
      Status status =
          inAfter && !inBefore ? Status.ADDED : inBefore && !inAfter ? Status.REMOVED : Status.KEPT;
      nodes.add(new NodeChange(id, status));
    }
    return new GraphDiff(nodes, added, removed, changed);
  }

  private static Optional<Change> moved(Edge before, Edge after) {
    OptionalDouble was = GraphJson.total(before);
    OptionalDouble is = GraphJson.total(after);
    if (was.isEmpty() || is.isEmpty()) {
      return Optional.empty();
    }
    double low = Math.min(was.getAsDouble(), is.getAsDouble());
    double high = Math.max(was.getAsDouble(), is.getAsDouble());
    return high > low * FACTOR
        ? Optional.of(new Change(after, was.getAsDouble(), is.getAsDouble()))
        : Optional.empty();
  }

  private static Set<String> symmetricDifference(Set<String> a, Set<String> b) {
    Set<String> only = new TreeSet<>(a);
    only.addAll(b);
    only.removeIf(id -> a.contains(id) && b.contains(id));
    return only;
  }

  private static <T> Map<String, T> byId(List<T> items, Function<T, String> id) {
    return items.stream()
        .collect(Collectors.toMap(id, Function.identity(), (x, y) -> x, TreeMap::new));
  }
}
