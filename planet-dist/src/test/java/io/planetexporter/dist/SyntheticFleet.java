package io.planetexporter.dist;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A fleet of the map's shape at scale, as the recorded series of {@code rules/planet.rules.yml}
 * (what planet-map reads when the rules are loaded): {@code nodes} hostgroups named {@code
 * nsNN/svcNNNN}, twenty to a namespace, each connecting to {@code fanOut} others on their service
 * port (1000 + the target's number), with bytes/s both ways and edge health as the rules record it
 * from socketstat: every edge has an RTT (0.2-4.1 ms) and retransmitted bytes/s, 0 but on every
 * 1499th edge (degraded: 1 % of its bytes retransmitted); every 997th fails to connect (failing:
 * 0.2 connects/s), as in {@code bench/map.sh}'s fleet, only rarer, so that the page's problems stay
 * few enough to check one by one. Two samples a minute apart, the last at {@code end}, written as
 * OpenMetrics and loaded with {@code promtool tsdb create-blocks-from openmetrics}.
 *
 * <p>500 nodes of fan-out 30 is the 10,000-host fleet of {@code bench/map.sh} as the map sees it
 * (500 nodes, 15,000 edges); 2,500 is 50,000 hosts.
 */
record SyntheticFleet(int nodes, int fanOut) {

  private static final int PER_NAMESPACE = 20;

  /** One dependency of the fleet. */
  record Edge(
      String source, String target, int port, double egressBps, String health, double rttSeconds) {}

  String node(int i) {
    return String.format("ns%02d/svc%04d", i % namespaces(), i);
  }

  int namespaces() {
    return Math.max(1, nodes / PER_NAMESPACE);
  }

  /** Every edge, in the order written: node by node, then by its k-th dependency. */
  List<Edge> edges() {
    List<Edge> edges = new ArrayList<>(nodes * fanOut);
    int stride = Math.max(1, (nodes - 1) / fanOut);
    for (int i = 0; i < nodes; i++) {
      for (int k = 0; k < fanOut; k++) {
        int target = (i + 1 + k * stride) % nodes;
        int n = i * fanOut + k;
        String health = n % 997 == 0 ? "failing" : n % 1499 == 1 ? "degraded" : "healthy";
        double rtt = (2 + n % 40) / 10_000.0;
        edges.add(new Edge(node(i), node(target), 1000 + target, (n * 31 % 1000) + 1, health, rtt));
      }
    }
    return edges;
  }

  /** Writes the fleet into {@code dataDir} (a Prometheus TSDB directory) with promtool. */
  void load(Path dataDir, long end) throws IOException {
    Path text = Files.createTempFile("planet-fleet-", ".om");
    try {
      write(text, end);
      Files.createDirectories(dataDir);
      Promtool.Result loaded =
          Promtool.run(
              dataDir,
              "tsdb",
              "create-blocks-from",
              "openmetrics",
              text.toString(),
              dataDir.toString());
      if (loaded.exitCode() != 0) {
        throw new IllegalStateException("promtool could not load the fleet: " + loaded.output());
      }
    } finally {
      Files.deleteIfExists(text);
    }
  }

  private void write(Path file, long end) throws IOException {
    List<Edge> edges = edges();
    try (BufferedWriter out = Files.newBufferedWriter(file, UTF_8)) {
      family(out, "hostgroup:planet_hosts:count");
      for (int i = 0; i < nodes; i++) {
        String labels = "local_hostgroup=\"%1$s\",local_node=\"%1$s\"".formatted(node(i));
        samples(out, "hostgroup:planet_hosts:count", labels, PER_NAMESPACE, end);
      }
      family(out, "hostgroup:planet_upstream:count");
      for (int k = 0; k < edges.size(); k++) {
        samples(
            out,
            "hostgroup:planet_upstream:count",
            pair(edges.get(k)) + ",process_name=\"p" + k % 5 + "\"",
            1,
            end);
      }
      family(out, "hostgroup:planet_upstream_bytes:rate5m");
      for (Edge edge : edges) {
        String bytes = "hostgroup:planet_upstream_bytes:rate5m";
        samples(out, bytes, pair(edge) + ",direction=\"egress\"", edge.egressBps(), end);
        samples(out, bytes, pair(edge) + ",direction=\"ingress\"", 10 * edge.egressBps(), end);
      }
      family(out, "hostgroup:planet_upstream_connect_failures:rate5m");
      for (Edge edge : edges) {
        if (edge.health().equals("failing")) {
          samples(out, "hostgroup:planet_upstream_connect_failures:rate5m", pair(edge), 0.2, end);
        }
      }
      family(out, "hostgroup:planet_upstream_retransmitted_bytes:rate5m");
      for (Edge edge : edges) {
        samples(
            out,
            "hostgroup:planet_upstream_retransmitted_bytes:rate5m",
            pair(edge),
            edge.health().equals("degraded") ? edge.egressBps() / 100 : 0,
            end);
      }
      family(out, "hostgroup:planet_upstream_rtt_seconds:avg");
      for (Edge edge : edges) {
        samples(
            out, "hostgroup:planet_upstream_rtt_seconds:avg", pair(edge), edge.rttSeconds(), end);
      }
      out.write("# EOF\n");
    }
  }

  private static String pair(Edge edge) {
    return ("local_hostgroup=\"%1$s\",local_node=\"%1$s\",remote_hostgroup=\"%2$s\","
            + "remote_node=\"%2$s\",port=\"%3$d\",protocol=\"tcp\"")
        .formatted(edge.source(), edge.target(), edge.port());
  }

  private static void family(BufferedWriter out, String name) throws IOException {
    out.write("# TYPE " + name + " gauge\n");
  }

  private static void samples(
      BufferedWriter out, String name, String labels, double value, long end) throws IOException {
    for (long time : new long[] {end - 60, end}) {
      out.write(name + "{" + labels + "} " + value + " " + time + "\n");
    }
  }
}
