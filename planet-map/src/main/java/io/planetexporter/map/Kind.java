package io.planetexporter.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the map asks Prometheus, one query per kind: the recorded series of {@code
 * rules/planet.rules.yml} when they exist, else the same aggregation over the raw per-host series.
 *
 * <p>Every answer carries {@code local_node} and/or {@code remote_node}: the hostgroup; else, for
 * socketstat's ends, the owner of the address ({@code planet_address_info}: the workload that holds
 * it, else its host's name) when exactly one owner reports it; else the address (the rules' joins
 * and label_replace chain, repeated in {@link #raw}).
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
   * hostgroup comes last, so it wins whenever it is set); and which ends are named by the owner of
   * their address ({@code <side>_address}) where the hostgroup is empty.
   */
  private enum Sides {
    SOCKETSTAT(
        List.of("local_address", "local_hostgroup"),
        List.of("remote_address", "remote_hostgroup"),
        List.of("local", "remote")),
    DARKSTAT(
        List.of("local_domain", "local_hostgroup"),
        List.of("remote_ip", "remote_domain", "remote_hostgroup"),
        List.of()),
    HOSTNAME(List.of("ip", "hostname", "domain", "local_hostgroup"), List.of(), List.of()),
    PEERS(List.of(), List.of("remote_address", "remote_hostgroup"), List.of("remote"));

    final List<String> local;
    final List<String> remote;
    final List<String> owned;

    Sides(List<String> local, List<String> remote, List<String> owned) {
      this.local = local;
      this.remote = remote;
      this.owned = owned;
    }

    /**
     * The labels whose last non-empty one names {@code side}'s node in a part of the series where
     * the owned ends in {@code unlisted} have no hostgroup (and the other owned ends have one).
     */
    List<String> chain(String side, Set<String> unlisted) {
      if (!owned.contains(side)) {
        return side.equals("local") ? local : remote;
      }
      return unlisted.contains(side)
          ? List.of(side + "_address", side + "_owner")
          : List.of(side + "_hostgroup");
    }

    /**
     * The parts the series are read in, as the rules do: every combination of the owned ends with
     * and without a hostgroup, each given as the set of ends without one.
     */
    List<Set<String>> parts() {
      List<Set<String>> parts = new ArrayList<>(List.of(Set.of()));
      for (String side : owned) {
        List<Set<String>> more = new ArrayList<>();
        for (Set<String> part : parts) {
          Set<String> without = new TreeSet<>(part);
          without.add(side);
          more.add(Set.copyOf(without));
        }
        parts.addAll(more);
      }
      return parts;
    }
  }

  private static final Pattern RAW_NAME = Pattern.compile("(planet_[a-z_]+)\\{");

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

  /** The names of the raw series its raw query reads. */
  Set<String> rawNames() {
    Set<String> names = new TreeSet<>();
    Matcher name = RAW_NAME.matcher(rawSelection);
    while (name.find()) {
      names.add(name.group(1));
    }
    return names;
  }

  /** A selector of the recorded series: which exist says which kinds are asked over them. */
  static final String RECORDED_NAMES = "{__name__=~\"hostgroup:planet_.+\"}";

  /**
   * A selector of the raw series the map reads: which exist says which kinds without recorded
   * series are asked over raw ones, and which not at all.
   */
  static String rawNamesSelector() {
    Set<String> names = new TreeSet<>();
    for (Kind kind : values()) {
      names.addAll(kind.rawNames());
    }
    return "{__name__=~\"" + String.join("|", names) + "\"}";
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

  /**
   * The query over the raw per-host series, in the rules' parts ({@link Sides#parts}): the owner
   * table is joined only to the ends without hostgroup. With a filter, an end that its owner may
   * name is selected whenever the inventory gives it no hostgroup: which owner holds its address is
   * known only after the join.
   */
  String raw(String range, NodeFilter filter) {
    List<String> matchers = new ArrayList<>(filter.matchers(sides.local, sides.remote));
    if (filter != NodeFilter.ALL) {
      for (String side : sides.owned) {
        matchers.add(side + "_hostgroup=\"\"");
      }
    }
    String owners = owners(range);
    List<String> parts = new ArrayList<>();
    for (Set<String> unlisted : sides.parts()) {
      List<String> partMatchers = new ArrayList<>();
      // Loopback peers are no edge of the fleet (as in the rules).
      if (!sides.remote.isEmpty()) {
        partMatchers.add("remote_hostgroup!=\"localhost\"");
      }
      for (String side : sides.owned) {
        partMatchers.add(side + "_hostgroup" + (unlisted.contains(side) ? "=" : "!=") + "\"\"");
      }
      String selection =
          alternatives(
              matchers,
              m -> {
                List<String> all = new ArrayList<>(partMatchers);
                if (!m.isEmpty()) {
                  all.add(m);
                }
                return rawSelection.formatted(String.join(",", all), range);
              });
      String joined = matchers.size() > 1 ? "(" + selection + ")" : selection;
      for (String side : List.of("remote", "local")) {
        if (unlisted.contains(side)) {
          joined = owned(joined, side, owners);
        }
      }
      String nodes =
          node(
              node(joined, "local", sides.chain("local", unlisted)),
              "remote",
              sides.chain("remote", unlisted));
      parts.add(aggregation.formatted(nodes));
    }
    return String.join(" or ", parts);
  }

  /**
   * The owner of each address over the range (the rule {@code address:planet_address:owner} over
   * the raw series): the workload, else the hostname, of the addresses that exactly one owner
   * reports.
   */
  private static String owners(String range) {
    String byOwner =
        "max by (address, owner) (label_replace(label_replace(last_over_time(planet_address_info["
            + range
            + "]), \"owner\", \"$1\", \"hostname\", \"(.*)\"), \"owner\", \"$1\", \"workload\","
            + " \"(.+)\"))";
    return "(" + byOwner + " and on (address) count by (address) (" + byOwner + ") == 1)";
  }

  /**
   * {@code expr} with {@code <side>_owner} where an owner holds its {@code <side>_address}, and
   * unchanged where none does.
   */
  private static String owned(String expr, String side, String owners) {
    String owner =
        "label_replace(label_replace("
            + owners
            + ", \""
            + side
            + "_address\", \"$1\", \"address\", \"(.*)\"), \""
            + side
            + "_owner\", \"$1\", \"owner\", \"(.*)\")";
    return "("
        + expr
        + " * on ("
        + side
        + "_address) group_left ("
        + side
        + "_owner) "
        + owner
        + " or ignoring ("
        + side
        + "_owner) "
        + expr
        + ")";
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
