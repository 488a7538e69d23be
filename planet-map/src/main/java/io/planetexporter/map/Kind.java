package io.planetexporter.map;

import java.util.List;
import java.util.function.Function;

/**
 * What the map asks Prometheus, one query per kind: the recorded series of {@code
 * rules/planet.rules.yml} when they exist, else the same aggregation over the raw per-host series.
 *
 * <p>Every answer carries {@code local_node} and/or {@code remote_node}: the hostgroup, or for a
 * host without hostgroup its address (the rules' label_replace pair, repeated in {@link #raw}).
 */
enum Kind {
  /** Dependencies from the connecting end: local = source. */
  UPSTREAM(
      "hostgroup:planet_upstream:count",
      Window.LAST,
      "count by (local_hostgroup, local_node, remote_hostgroup, remote_node, port, protocol,"
          + " process_name) (%s)",
      Sides.SOCKETSTAT,
      "last_over_time(planet_upstream{%s}[%s])"),
  /** Dependencies from the serving end: local = target, port = the local port. */
  DOWNSTREAM(
      "hostgroup:planet_downstream:count",
      Window.LAST,
      "count by (local_hostgroup, local_node, remote_hostgroup, remote_node, port, protocol,"
          + " process_name) (%s)",
      Sides.SOCKETSTAT,
      "last_over_time(planet_downstream{%s}[%s])"),
  /** socketstat's bytes/s per edge, seen from the connecting end. */
  UPSTREAM_BYTES(
      "hostgroup:planet_upstream_bytes:rate5m",
      Window.AVERAGE,
      "sum by (local_hostgroup, local_node, remote_hostgroup, remote_node, port, protocol,"
          + " direction) (%s)",
      Sides.SOCKETSTAT,
      "rate(planet_upstream_bytes_total{%s}[%s])"),
  /** socketstat's bytes/s per edge, seen from the serving end. */
  DOWNSTREAM_BYTES(
      "hostgroup:planet_downstream_bytes:rate5m",
      Window.AVERAGE,
      "sum by (local_hostgroup, local_node, remote_hostgroup, remote_node, port, protocol,"
          + " direction) (%s)",
      Sides.SOCKETSTAT,
      "rate(planet_downstream_bytes_total{%s}[%s])"),
  /** socketstat's failed connects/s per edge (edge health), seen from the connecting end. */
  UPSTREAM_CONNECT_FAILURES(
      "hostgroup:planet_upstream_connect_failures:rate5m",
      Window.AVERAGE,
      "sum by (local_hostgroup, local_node, remote_hostgroup, remote_node, port, protocol) (%s)",
      Sides.SOCKETSTAT,
      "rate(planet_upstream_connect_failures_total{%s}[%s])"),
  /** socketstat's retransmitted bytes/s per edge, sent by the connecting end. */
  UPSTREAM_RETRANSMITTED(
      "hostgroup:planet_upstream_retransmitted_bytes:rate5m",
      Window.AVERAGE,
      "sum by (local_hostgroup, local_node, remote_hostgroup, remote_node, port, protocol) (%s)",
      Sides.SOCKETSTAT,
      "rate(planet_upstream_retransmitted_bytes_total{%s}[%s])"),
  /** socketstat's retransmitted bytes/s per edge, sent by the serving end. */
  DOWNSTREAM_RETRANSMITTED(
      "hostgroup:planet_downstream_retransmitted_bytes:rate5m",
      Window.AVERAGE,
      "sum by (local_hostgroup, local_node, remote_hostgroup, remote_node, port, protocol) (%s)",
      Sides.SOCKETSTAT,
      "rate(planet_downstream_retransmitted_bytes_total{%s}[%s])"),
  /** socketstat's mean RTT per edge over its hosts, seen from the connecting end. */
  UPSTREAM_RTT(
      "hostgroup:planet_upstream_rtt_seconds:avg",
      Window.AVERAGE,
      "avg by (local_hostgroup, local_node, remote_hostgroup, remote_node, port, protocol) (%s)",
      Sides.SOCKETSTAT,
      "avg_over_time(planet_upstream_rtt_seconds{%s}[%s])"),
  /** socketstat's mean RTT per edge over its hosts, seen from the serving end. */
  DOWNSTREAM_RTT(
      "hostgroup:planet_downstream_rtt_seconds:avg",
      Window.AVERAGE,
      "avg by (local_hostgroup, local_node, remote_hostgroup, remote_node, port, protocol) (%s)",
      Sides.SOCKETSTAT,
      "avg_over_time(planet_downstream_rtt_seconds{%s}[%s])"),
  /** darkstat's bytes/s per pair of nodes (no port). */
  TRAFFIC_BYTES(
      "hostgroup:planet_traffic_bytes:rate5m",
      Window.AVERAGE,
      "sum by (local_hostgroup, local_node, remote_hostgroup, remote_node, direction) (%s)",
      Sides.DARKSTAT,
      "rate(planet_traffic_bytes_total{%s}[%s])"),
  /** Hosts running an exporter, per node. */
  HOSTS(
      "hostgroup:planet_hosts:count",
      Window.MAX,
      "count by (local_hostgroup, local_node) (%s)",
      Sides.HOSTNAME,
      "last_over_time(planet_hostname{%s}[%s])"),
  /** Distinct peer addresses per node, seen from the other ends. */
  REMOTE_ADDRESSES(
      "hostgroup:planet_remote_addresses:count",
      Window.MAX,
      "count by (remote_hostgroup, remote_node) (%s)",
      Sides.PEERS,
      // last_over_time drops the metric name: count first, so that an upstream and a downstream
      // series with equal labels do not collide.
      "(count by (remote_hostgroup, remote_address) (last_over_time(planet_upstream"
          + "{%1$s}[%2$s])) or count by (remote_hostgroup,"
          + " remote_address) (last_over_time(planet_downstream"
          + "{%1$s}[%2$s])))");

  /** How a recorded series is read over the map's range. */
  private enum Window {
    LAST("last_over_time"),
    AVERAGE("avg_over_time"),
    MAX("max_over_time");

    final String function;

    Window(String function) {
      this.function = function;
    }
  }

  /**
   * Which raw labels name each end: the node label is the last of them that is not empty (the
   * hostgroup comes last, so it wins whenever it is set).
   */
  private enum Sides {
    SOCKETSTAT(
        List.of("local_address", "local_hostgroup"), List.of("remote_address", "remote_hostgroup")),
    DARKSTAT(
        List.of("local_domain", "local_hostgroup"),
        List.of("remote_ip", "remote_domain", "remote_hostgroup")),
    HOSTNAME(List.of("ip", "domain", "local_hostgroup"), List.of()),
    PEERS(List.of(), List.of("remote_address", "remote_hostgroup"));

    final List<String> local;
    final List<String> remote;

    Sides(List<String> local, List<String> remote) {
      this.local = local;
      this.remote = remote;
    }
  }

  private final String recorded;
  private final Window window;
  private final String aggregation;
  private final Sides sides;
  private final String rawSelection;

  Kind(String recorded, Window window, String aggregation, Sides sides, String rawSelection) {
    this.recorded = recorded;
    this.window = window;
    this.aggregation = aggregation;
    this.sides = sides;
    this.rawSelection = rawSelection;
  }

  /** The recorded series' name. */
  String recordedName() {
    return recorded;
  }

  /** The query over the recorded series. */
  String recorded(String range, NodeFilter filter) {
    List<String> matchers = filter.matchers(List.of("local_node"), List.of("remote_node"));
    return alternatives(
        matchers, m -> window.function + "(" + recorded + "{" + m + "}[" + range + "])");
  }

  /**
   * The recorded series themselves, for a range query: one point per step (the rules evaluate every
   * minute).
   */
  String recordedSeries(NodeFilter filter) {
    List<String> matchers = filter.matchers(List.of("local_node"), List.of("remote_node"));
    return alternatives(matchers, m -> recorded + "{" + m + "}");
  }

  /** The query over the raw per-host series. */
  String raw(String range, NodeFilter filter) {
    List<String> matchers = filter.matchers(sides.local, sides.remote);
    return alternatives(
        matchers,
        m -> {
          // Loopback peers are no edge of the fleet (as in the rules).
          String base = sides.remote.isEmpty() ? "" : "remote_hostgroup!=\"localhost\"";
          String selection =
              rawSelection.formatted(
                  base.isEmpty() || m.isEmpty() ? base + m : base + "," + m, range);
          String nodes = node(node(selection, "local", sides.local), "remote", sides.remote);
          return aggregation.formatted(nodes);
        });
  }

  /** {@code label_replace} chain: {@code <side>_node} := the last non-empty of {@code labels}. */
  private static String node(String expr, String side, List<String> labels) {
    String result = expr;
    for (int i = 0; i < labels.size(); i++) {
      // The first label is copied even when empty; each later one overwrites it when it is set.
      result =
          "label_replace("
              + result
              + ", \""
              + side
              + "_node\", \"$1\", \""
              + labels.get(i)
              + "\", \""
              + (i == 0 ? "(.*)" : "(.+)")
              + "\")";
    }
    return result;
  }

  private static String alternatives(List<String> matchers, Function<String, String> query) {
    return matchers.stream().map(query).reduce((a, b) -> a + " or " + b).orElseThrow();
  }
}
