package io.planetexporter.map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the answers of Prometheus's HTTP API with Jackson's streaming parser, straight into {@link
 * QuerySeries}s: no tree of the whole answer (tens of megabytes for the whole fleet), and each
 * label value kept once per answer however many series repeat it (the hostgroups, ports and
 * processes). The answer is read as it arrives: never held whole, and a caller that limits the
 * stream (or the series, {@link SeriesBudget}) stops it at the limit.
 */
final class PrometheusJson {

  /** The longest string (a label value) read: far above any name, far below the heap. */
  static final int MAX_STRING_LENGTH = 1 << 20;

  private static final JsonFactory factory =
      JsonFactory.builder()
          // The caller reads the stream to its end and closes it.
          .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
          .streamReadConstraints(
              StreamReadConstraints.builder().maxStringLength(MAX_STRING_LENGTH).build())
          .build();

  /** What one answer said: its status, and its data when it had some. */
  record Answer<T>(String status, String errorType, String error, T data) {

    boolean success() {
      return status.equals("success") && data != null;
    }
  }

  /** Reads the {@code data} of an answer. */
  @FunctionalInterface
  interface DataReader<T> {
    T read(JsonParser parser, Map<String, String> strings) throws IOException;
  }

  private PrometheusJson() {}

  /**
   * Reads an answer: {@code {"status": ..., "data": ..., "errorType": ..., "error": ...}}, fields
   * in any order, unknown ones (e.g. {@code warnings}) skipped.
   *
   * @throws IOException when the body is not such JSON
   */
  static <T> Answer<T> read(InputStream body, DataReader<T> reader) throws IOException {
    Map<String, String> strings = new HashMap<>();
    try (JsonParser parser = factory.createParser(body)) {
      expect(parser.nextToken(), JsonToken.START_OBJECT, parser);
      String status = "";
      String errorType = "error";
      String error = "(no message)";
      T data = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "status" -> status = parser.getValueAsString("");
          case "errorType" -> errorType = parser.getValueAsString(errorType);
          case "error" -> error = parser.getValueAsString(error);
          case "data" -> data = value == JsonToken.VALUE_NULL ? null : reader.read(parser, strings);
          default -> parser.skipChildren();
        }
      }
      return new Answer<>(status, errorType, error, data);
    }
  }

  /**
   * The {@code data} of an instant query: {@code {"resultType": "vector", "result": [{"metric":
   * {...}, "value": [time, "value"]}, ...]}}.
   */
  static List<QuerySeries> vector(
      JsonParser parser, Map<String, String> strings, SeriesBudget budget) throws IOException {
    List<QuerySeries> samples = new ArrayList<>();
    result(
        parser,
        "vector",
        () -> {
          List<Point> points = new ArrayList<>();
          Map<String, String> labels = series(parser, strings, points);
          if (points.size() != 1) {
            throw new IOException("a vector's series has " + points.size() + " values");
          }
          budget.take();
          samples.add(new QuerySeries(labels, points.get(0).value()));
        });
    return samples;
  }

  /**
   * The {@code data} of a range query: {@code {"resultType": "matrix", "result": [{"metric": {...},
   * "values": [[time, "value"], ...]}, ...]}}.
   */
  static List<Series> matrix(JsonParser parser, Map<String, String> strings, SeriesBudget budget)
      throws IOException {
    List<Series> result = new ArrayList<>();
    result(
        parser,
        "matrix",
        () -> {
          List<Point> points = new ArrayList<>();
          Map<String, String> labels = series(parser, strings, points);
          budget.take();
          result.add(new Series(labels, points));
        });
    return result;
  }

  /** A series' point: seconds since the epoch, and the value. */
  record Point(double time, double value) {}

  /** One series of a range query's answer, its points in time order. */
  record Series(Map<String, String> labels, List<Point> points) {
    Series {
      labels = Map.copyOf(labels);
      points = List.copyOf(points);
    }
  }

  private interface SeriesReader {
    void read() throws IOException;
  }

  private static void result(JsonParser parser, String wantedType, SeriesReader reader)
      throws IOException {
    expect(parser.currentToken(), JsonToken.START_OBJECT, parser);
    String resultType = "";
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (field.equals("resultType")) {
        resultType = parser.getValueAsString("");
        if (!resultType.equals(wantedType)) {
          throw new IOException("expected a " + wantedType + ", got \"" + resultType + "\"");
        }
      } else if (field.equals("result") && value == JsonToken.START_ARRAY) {
        while (parser.nextToken() == JsonToken.START_OBJECT) {
          reader.read();
        }
      } else {
        parser.skipChildren();
      }
    }
    if (resultType.isEmpty()) {
      throw new IOException("no resultType in the answer");
    }
  }

  /** The {@code data} of a label values call: an array of strings. */
  static Set<String> strings(JsonParser parser, Map<String, String> strings) throws IOException {
    expect(parser.currentToken(), JsonToken.START_ARRAY, parser);
    Set<String> values = new TreeSet<>();
    while (parser.nextToken() == JsonToken.VALUE_STRING) {
      values.add(parser.getText());
    }
    expect(parser.currentToken(), JsonToken.END_ARRAY, parser);
    return values;
  }

  /** Reads one series object: returns its labels (without {@code __name__}), adds its points. */
  private static Map<String, String> series(
      JsonParser parser, Map<String, String> strings, List<Point> points) throws IOException {
    Map<String, String> labels = new HashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "metric" -> {
          expect(value, JsonToken.START_OBJECT, parser);
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            if (!name.equals("__name__")) {
              labels.put(name, strings.computeIfAbsent(parser.getText(), text -> text));
            }
          }
        }
        case "value" -> points.add(point(parser));
        case "values" -> {
          expect(value, JsonToken.START_ARRAY, parser);
          while (parser.nextToken() == JsonToken.START_ARRAY) {
            points.add(point(parser));
          }
        }
        default -> parser.skipChildren();
      }
    }
    return labels;
  }

  /** {@code [1700000000.123, "42"]}: seconds since the epoch and the value as a string. */
  private static Point point(JsonParser parser) throws IOException {
    expect(parser.currentToken(), JsonToken.START_ARRAY, parser);
    parser.nextToken();
    double time = parser.getValueAsDouble();
    parser.nextToken();
    double value = value(parser.getText());
    expect(parser.nextToken(), JsonToken.END_ARRAY, parser);
    return new Point(time, value);
  }

  /**
   * A sample value as Prometheus writes it: a Go float, {@code NaN}, {@code +Inf}, {@code -Inf}.
   */
  private static double value(String text) throws IOException {
    return switch (text) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new IOException("not a sample value: \"" + text + "\"", e);
        }
      }
    };
  }

  private static void expect(JsonToken token, JsonToken wanted, JsonParser parser)
      throws IOException {
    if (token != wanted) {
      throw new IOException(
          "expected " + wanted + ", got " + token + " at " + parser.currentLocation());
    }
  }
}
