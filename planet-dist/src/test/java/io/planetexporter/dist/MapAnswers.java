package io.planetexporter.dist;

import com.fasterxml.jackson.databind.JsonNode;
import io.planetexporter.testfixtures.Distribution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the map ITs read of planet-map's {@code /api/graph} answer, and the rules they load. */
final class MapAnswers {

  private MapAnswers() {}

  /** The {@code id} of each item, in the answer's order. */
  static List<String> ids(JsonNode array) {
    List<String> ids = new ArrayList<>();
    array.forEach(item -> ids.add(item.path("id").asText()));
    return ids;
  }

  static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(item -> texts.add(item.asText()));
    return texts;
  }

  /** Edge id -> its processes. */
  static Map<String, List<String>> edges(JsonNode graph) {
    Map<String, List<String>> edges = new TreeMap<>();
    for (JsonNode edge : graph.path("edges")) {
      edges.put(edge.path("id").asText(), texts(edge.path("processes")));
    }
    return edges;
  }

  /**
   * The tarball's rules written into {@code dir}, evaluated every second instead of every minute,
   * so that a test sees their series within seconds.
   */
  static Path rulesEverySecond(Path dir) throws IOException {
    Path rules = dir.resolve("planet.rules.yml");
    Files.writeString(
        rules,
        Files.readString(Distribution.shared().resolve("rules/planet.rules.yml"))
            .replace("interval: 1m", "interval: 1s"));
    return rules;
  }
}
