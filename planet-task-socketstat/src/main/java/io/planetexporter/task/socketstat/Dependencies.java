package io.planetexporter.task.socketstat;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/** The series socketstat serves, each list sorted and free of duplicates. */
record Dependencies(List<Peer> upstreams, List<Peer> downstreams, List<Server> servers) {

  Dependencies {
    upstreams = List.copyOf(upstreams);
    downstreams = List.copyOf(downstreams);
    servers = List.copyOf(servers);
  }

  /** The series of several namespaces together, sorted, each once. */
  static Dependencies merge(List<Dependencies> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return new Dependencies(
        union(parts, Dependencies::upstreams, Peer.ORDER),
        union(parts, Dependencies::downstreams, Peer.ORDER),
        union(parts, Dependencies::servers, Server.ORDER));
  }

  private static <T> List<T> union(
      List<Dependencies> parts, Function<Dependencies, Collection<T>> series, Comparator<T> order) {
    TreeSet<T> all = new TreeSet<>(order);
    for (Dependencies part : parts) {
      all.addAll(series.apply(part));
    }
    return List.copyOf(all);
  }
}
