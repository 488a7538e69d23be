package io.planetexporter.task.socketstat.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a few string members of a runtime's JSON state file, streaming past the rest (a Docker
 * {@code config.v2.json} holds the whole container configuration; only its name and two labels are
 * wanted).
 */
final class StateJson {

  /** Far above any state file seen (a few KiB to a few hundred with a large environment). */
  static final long MAX_BYTES = 4L << 20;

  private static final JsonFactory json = new JsonFactory();

  private StateJson() {}

  /**
   * The string values at {@code paths}, each a list of member names from the top object; a path
   * that is absent, or holds no string, has no entry.
   *
   * @throws java.nio.file.NoSuchFileException when the file does not exist
   * @throws InvalidStateException when it is larger than {@link #MAX_BYTES} or not a JSON object
   * @throws IOException when it cannot be read
   */
  static Map<List<String>, String> strings(Path file, List<List<String>> paths) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new InvalidStateException(file + ": " + size + " bytes, more than " + MAX_BYTES);
    }
    Map<List<String>, String> found = new HashMap<>();
    try (InputStream in = Files.newInputStream(file);
        JsonParser parser = json.createParser(in)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidStateException(file + ": not a JSON object");
      }
      readObject(parser, new ArrayList<>(), paths, found);
      if (parser.nextToken() != null) {
        throw new InvalidStateException(file + ": text after the JSON object");
      }
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new InvalidStateException(file + ": " + e.getOriginalMessage(), e);
    }
    return found;
  }

  /** Reads the object the parser is at the start of, descending only where a wanted path leads. */
  private static void readObject(
      JsonParser parser, List<String> at, List<List<String>> paths, Map<List<String>, String> found)
      throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      at.add(parser.currentName());
      JsonToken value = parser.nextToken();
      if (value == JsonToken.VALUE_STRING && paths.contains(at)) {
        found.put(List.copyOf(at), parser.getText());
      } else if (value == JsonToken.START_OBJECT && leadsSomewhere(at, paths)) {
        readObject(parser, at, paths, found);
      } else {
        parser.skipChildren();
      }
      at.remove(at.size() - 1);
    }
  }

  private static boolean leadsSomewhere(List<String> at, List<List<String>> paths) {
    for (List<String> path : paths) {
      if (path.size() > at.size() && path.subList(0, at.size()).equals(at)) {
        return true;
      }
    }
    return false;
  }
}
