package io.planetexporter.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.map.Graph.Edge;
import io.planetexporter.map.Graph.Node;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class GraphBuilderTest {

  private final Map<Kind, List<QuerySeries>> answers = new EnumMap<>(Kind.class);

  /** Adds a sample written {@code label=value label=value ... -> value}. */
  private GraphBuilderTest add(Kind kind, String labels, double value) {
    Map<String, String> map = new HashMap<>();
    for (String pair : labels.trim().split(" +")) {
      String[] kv = pair.split("=", 2);
      map.put(kv[0], kv[1]);
    }
    answers.computeIfAbsent(kind, k -> new ArrayList<>()).add(new QuerySeries(map, value));
    return this;
  }

  private Graph graph() {
    return GraphBuilder.build(answers);
  }

  private Edge edge(String id) {
    return graph().edges().stream()
        .filter(e -> e.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no edge " + id + " in " + graph().edges()));
  }

  private Node node(String id) {
    return graph().node(id).orElseThrow(() -> new AssertionError("no node " + id));
  }

  @Nested
  class Dependencies {

    @Test
    void mergesTheUpstreamAndDownstreamEndsOfOneDependencyIntoOneEdge() {
      add(
          Kind.UPSTREAM,
          "local_node=web remote_node=api port=8080 protocol=tcp process_name=nginx",
          2);
      add(
          Kind.DOWNSTREAM,
          "local_node=api remote_node=web port=8080 protocol=tcp process_name=java",
          1);

      assertThat(graph().edges())
          .extracting(Edge::id, Edge::processes)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("web->api:8080/tcp", List.of("java", "nginx")));
      assertThat(graph().nodes()).extracting(Node::id).containsExactly("api", "web");
    }

    @Test
    void anEdgeKnownOnlyFromItsServingEndPointsFromClientToServer() {
      add(
          Kind.DOWNSTREAM,
          "local_node=web remote_node=prometheus port=19100 protocol=tcp process_name=java",
          1);

      Edge edge = edge("prometheus->web:19100/tcp");
      assertThat(edge.source()).isEqualTo("prometheus");
      assertThat(edge.target()).isEqualTo("web");
      assertThat(edge.processes()).containsExactly("java");
    }

    @Test
    void portsAndProtocolsMakeSeparateEdgesAndEmptyProcessNamesAreLeftOut() {
      add(Kind.UPSTREAM, "local_node=web remote_node=api port=8080 protocol=tcp process_name=", 1);
      add(Kind.UPSTREAM, "local_node=web remote_node=api port=53 protocol=udp process_name=dig", 1);

      assertThat(graph().edges())
          .extracting(Edge::id)
          .containsExactly("web->api:53/udp", "web->api:8080/tcp");
      assertThat(edge("web->api:8080/tcp").processes()).isEmpty();
    }

    @Test
    void aHostWithoutHostgroupIsItsOwnNodeNamedByItsAddress() {
      // The queries name it so (local_node = local_address when local_hostgroup is "").
      add(
          Kind.UPSTREAM,
          "local_hostgroup= local_node=198.18.0.9 remote_hostgroup=db remote_node=db port=5432 protocol=tcp process_name=psql",
          1);
      add(Kind.HOSTS, "local_hostgroup= local_node=198.18.0.9", 1);

      assertThat(graph().nodes()).extracting(Node::id).containsExactly("198.18.0.9", "db");
      assertThat(node("198.18.0.9").hosts()).isEqualTo(1);
    }
  }

  @Nested
  class Hosts {

    @Test
    void countsExportersAndElseTheAddressesPeersSee() {
      add(
          Kind.UPSTREAM,
          "local_node=web remote_node=api port=8080 protocol=tcp process_name=nginx",
          1);
      add(Kind.HOSTS, "local_node=web", 3);
      add(Kind.REMOTE_ADDRESSES, "remote_node=web", 1);
      add(Kind.REMOTE_ADDRESSES, "remote_node=api", 2);

      assertThat(node("web").hosts()).isEqualTo(3);
      assertThat(node("api").hosts()).isEqualTo(2);
    }

    @Test
    void aNodeNobodyCountedIsOneHost() {
      add(
          Kind.UPSTREAM,
          "local_node=web remote_node=api port=8080 protocol=tcp process_name=nginx",
          1);

      assertThat(node("api").hosts()).isEqualTo(1);
    }

    @Test
    void anExporterWithoutDependenciesIsStillANode() {
      add(Kind.HOSTS, "local_node=batch", 4);

      assertThat(graph().nodes()).extracting(Node::id).containsExactly("batch");
      assertThat(graph().edges()).isEmpty();
    }
  }

  @Nested
  class Bandwidth {

    @Test
    void isAbsentWithoutByteData() {
      add(
          Kind.UPSTREAM,
          "local_node=web remote_node=api port=8080 protocol=tcp process_name=nginx",
          1);

      Edge edge = edge("web->api:8080/tcp");
      assertThat(edge.egressBps()).isEmpty();
      assertThat(edge.ingressBps()).isEmpty();
      assertThat(edge.bytesFrom()).isEmpty();
      assertThat(node("web").inBps()).isEmpty();
    }

    @Test
    void comesFromTheConnectingEndsSocketstatCountersAsTheyAre() {
      add(
          Kind.UPSTREAM,
          "local_node=web remote_node=api port=8080 protocol=tcp process_name=nginx",
          1);
      add(
          Kind.UPSTREAM_BYTES,
          "local_node=web remote_node=api port=8080 protocol=tcp direction=egress",
          20);
      add(
          Kind.UPSTREAM_BYTES,
          "local_node=web remote_node=api port=8080 protocol=tcp direction=ingress",
          200);

      Edge edge = edge("web->api:8080/tcp");
      assertThat(edge.egressBps()).isEqualTo(OptionalDouble.of(20));
      assertThat(edge.ingressBps()).isEqualTo(OptionalDouble.of(200));
      assertThat(edge.bytesFrom()).isEqualTo("socketstat");
      assertThat(node("web").outBps()).isEqualTo(OptionalDouble.of(20));
      assertThat(node("web").inBps()).isEqualTo(OptionalDouble.of(200));
      assertThat(node("api").inBps()).isEqualTo(OptionalDouble.of(20));
      assertThat(node("api").outBps()).isEqualTo(OptionalDouble.of(200));
    }

    @Test
    void comesFromTheServingEndsCountersTurnedAround() {
      add(
          Kind.DOWNSTREAM,
          "local_node=api remote_node=web port=8080 protocol=tcp process_name=java",
          1);
      // api sent 200 B/s: what web received.
      add(
          Kind.DOWNSTREAM_BYTES,
          "local_node=api remote_node=web port=8080 protocol=tcp direction=egress",
          200);
      add(
          Kind.DOWNSTREAM_BYTES,
          "local_node=api remote_node=web port=8080 protocol=tcp direction=ingress",
          20);

      Edge edge = edge("web->api:8080/tcp");
      assertThat(edge.egressBps()).isEqualTo(OptionalDouble.of(20));
      assertThat(edge.ingressBps()).isEqualTo(OptionalDouble.of(200));
    }

    @Test
    void takesTheLargerWhenBothEndsReport() {
      add(
          Kind.UPSTREAM,
          "local_node=web remote_node=api port=8080 protocol=tcp process_name=nginx",
          1);
      add(
          Kind.UPSTREAM_BYTES,
          "local_node=web remote_node=api port=8080 protocol=tcp direction=egress",
          20);
      // Only some of api's hosts run an exporter with byte counters: their view is smaller.
      add(
          Kind.DOWNSTREAM_BYTES,
          "local_node=api remote_node=web port=8080 protocol=tcp direction=ingress",
          15);
      add(
          Kind.DOWNSTREAM_BYTES,
          "local_node=api remote_node=web port=8080 protocol=tcp direction=egress",
          300);

      Edge edge = edge("web->api:8080/tcp");
      assertThat(edge.egressBps()).isEqualTo(OptionalDouble.of(20));
      assertThat(edge.ingressBps()).isEqualTo(OptionalDouble.of(300));
    }

    @Test
    void comesFromDarkstatPerPairWhenSocketstatHasNoBytes() {
      add(
          Kind.UPSTREAM,
          "local_node=web remote_node=db port=5432 protocol=tcp process_name=psql",
          1);
      add(
          Kind.UPSTREAM,
          "local_node=web remote_node=db port=6432 protocol=tcp process_name=psql",
          1);
      add(Kind.TRAFFIC_BYTES, "local_node=web remote_node=db direction=ingress", 50);
      add(Kind.TRAFFIC_BYTES, "local_node=web remote_node=db direction=egress", 1);
      // db's own darkstat, seen from the other end, turned around.
      add(Kind.TRAFFIC_BYTES, "local_node=db remote_node=web direction=egress", 60);

      for (String id : List.of("web->db:5432/tcp", "web->db:6432/tcp")) {
        Edge edge = edge(id);
        assertThat(edge.egressBps()).isEqualTo(OptionalDouble.of(1));
        assertThat(edge.ingressBps()).isEqualTo(OptionalDouble.of(60));
        assertThat(edge.bytesFrom()).isEqualTo("darkstat");
      }
    }

    @Test
    void darkstatOfAnotherPairOrOfTheOtherDirectionDoesNotLeak() {
      add(
          Kind.UPSTREAM,
          "local_node=web remote_node=api port=8080 protocol=tcp process_name=nginx",
          1);
      add(
          Kind.UPSTREAM,
          "local_node=api remote_node=db port=5432 protocol=tcp process_name=java",
          1);
      add(Kind.TRAFFIC_BYTES, "local_node=api remote_node=db direction=egress", 7);

      assertThat(edge("web->api:8080/tcp").egressBps()).isEmpty();
      assertThat(edge("api->db:5432/tcp").egressBps()).isEqualTo(OptionalDouble.of(7));
    }

    @Test
    void socketstatWinsOverDarkstatOnTheSameEdge() {
      add(
          Kind.UPSTREAM,
          "local_node=web remote_node=api port=8080 protocol=tcp process_name=nginx",
          1);
      add(
          Kind.UPSTREAM_BYTES,
          "local_node=web remote_node=api port=8080 protocol=tcp direction=egress",
          20);
      add(Kind.TRAFFIC_BYTES, "local_node=web remote_node=api direction=egress", 999);

      assertThat(edge("web->api:8080/tcp").egressBps()).isEqualTo(OptionalDouble.of(20));
      assertThat(edge("web->api:8080/tcp").bytesFrom()).isEqualTo("socketstat");
    }

    @Test
    void bytesWithoutADependencyMakeNoEdge() {
      add(
          Kind.UPSTREAM_BYTES,
          "local_node=web remote_node=api port=8080 protocol=tcp direction=egress",
          20);
      add(Kind.TRAFFIC_BYTES, "local_node=web remote_node=api direction=egress", 999);

      assertThat(graph().edges()).isEmpty();
      assertThat(graph().nodes()).isEmpty();
    }
  }
}
