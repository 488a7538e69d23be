package io.planetexporter.task.socketstat.classify;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/** The series socketstat serves, each list sorted and free of duplicates. */
public record EdgesAndListeners(
    List<EdgeLabels> upstreams, List<EdgeLabels> downstreams, List<ListenerLabels> listeners) {

  public EdgesAndListeners {
    upstreams = List.copyOf(upstreams);
    downstreams = List.copyOf(downstreams);
    listeners = List.copyOf(listeners);
  }

  /** The series of several namespaces together, sorted, each once. */
  public static EdgesAndListeners merge(List<EdgesAndListeners> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return new EdgesAndListeners(
        union(parts, EdgesAndListeners::upstreams, EdgeLabels.ORDER),
        union(parts, EdgesAndListeners::downstreams, EdgeLabels.ORDER),
        union(parts, EdgesAndListeners::listeners, ListenerLabels.ORDER));
  }

  private static <T> List<T> union(
      List<EdgesAndListeners> parts,
      Function<EdgesAndListeners, Collection<T>> series,
      Comparator<T> order) {
    TreeSet<T> all = new TreeSet<>(order);
    for (EdgesAndListeners part : parts) {
      all.addAll(series.apply(part));
    }
    return List.copyOf(all);
  }
}
