package io.planetexporter.textformat;

import static io.planetexporter.textformat.TextTokens.found;
import static io.planetexporter.textformat.TextTokens.foundAt;
import static io.planetexporter.textformat.TextTokens.isBlank;
import static io.planetexporter.textformat.TextTokens.labelNameEnd;
import static io.planetexporter.textformat.TextTokens.metricNameEnd;
import static io.planetexporter.textformat.TextTokens.printable;
import static io.planetexporter.textformat.TextTokens.skipBlanks;
import static io.planetexporter.textformat.TextTokens.tokenEnd;
import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads the Prometheus text exposition format 0.0.4 as a stream of samples.
 *
 * <pre>{@code
 * PrometheusTextParser.parse(body, (sample, line) -> {
 *   if (sample.name().equals("host_bytes_total")) {
 *     total += sample.value();
 *   }
 * });
 * }</pre>
 *
 * <p>Input is read line by line from bytes; only the current line is held. The rules are the
 * format's: lines end in LF; blank lines and {@code #} comments are ignored except {@code # HELP
 * name text} (escapes {@code \\} and {@code \n}) and {@code # TYPE name type}, each at most once
 * per name; a sample is {@code name[{label="value",...}] value [timestamp]}, tokens separated by
 * blanks or tabs, label values UTF-8 with escapes {@code \\}, {@code \"} and {@code \n}, a trailing
 * comma allowed in the label set, values decimal or {@code NaN}, {@code +Inf}, {@code -Inf} (and
 * Go's other spellings of these, but not its hexadecimal floats), timestamps as 64-bit integer
 * milliseconds. A line is at most {@link #MAX_LINE_BYTES} long. Anything else is a {@link
 * TextFormatException} naming the line; no other exception escapes the parser (a visitor's own
 * unchecked exceptions pass through).
 */
public final class PrometheusTextParser {

  /** Receives what the page declares, in page order. Only {@link #sample} must be implemented. */
  @FunctionalInterface
  public interface Visitor {

    /**
     * One sample line.
     *
     * @param line its 1-based number, for a {@link TextFormatException} the visitor may throw
     */
    void sample(Sample sample, long line) throws TextFormatException;

    /** A {@code # TYPE} line. */
    default void type(String metricName, MetricType type, long line) throws TextFormatException {}

    /** A {@code # HELP} line, its text unescaped. */
    default void help(String metricName, String text, long line) throws TextFormatException {}
  }

  /**
   * The longest line read, without its LF: a sample with a hundred long labels is a few KiB, and a
   * limit keeps a page of one endless line from taking the heap.
   */
  public static final int MAX_LINE_BYTES = 1 << 20;

  private static final int CHUNK_SIZE = 8192;
  // A line with more labels than this checks them for repeats in a set rather than by scanning.
  private static final int SCANNED_LABELS = 16;

  private final Visitor visitor;
  private final EscapedText text = new EscapedText();
  private final Set<String> helped = new HashSet<>();
  private final Set<String> typed = new HashSet<>();
  private final LineSplitter<TextFormatException> lines =
      new LineSplitter<>(
          MAX_LINE_BYTES,
          new LineSplitter.LineReader<>() {
            @Override
            public void line(byte[] b, int start, int end, long number) throws TextFormatException {
              PrometheusTextParser.this.line(b, start, end, number);
            }

            @Override
            public void overlong(long number) throws TextFormatException {
              throw new TextFormatException(
                  number, "longer than " + MAX_LINE_BYTES + " bytes, the limit of a line");
            }
          });
  private long lineNumber;
  // The line's label names and values, alternating; and those of the last line with labels, whose
  // strings the next line reuses where it repeats them (a page repeats names and most values).
  private String[] pairs = new String[2 * SCANNED_LABELS];
  private String[] previousPairs = new String[0];
  private final Set<String> manyLabelNames = new HashSet<>();
  private String previousName = "";

  private PrometheusTextParser(Visitor visitor) {
    this.visitor = visitor;
  }

  /** Parses the page read from {@code in} until its end; does not close it. */
  public static void parse(InputStream in, Visitor visitor)
      throws IOException, TextFormatException {
    LineSplitter<TextFormatException> lines = new PrometheusTextParser(visitor).lines;
    byte[] chunk = new byte[CHUNK_SIZE];
    for (int n = in.read(chunk); n != -1; n = in.read(chunk)) {
      lines.feed(chunk, n);
    }
    lines.finish();
  }

  /** Parses a whole page held in memory. */
  public static void parse(byte[] page, Visitor visitor) throws TextFormatException {
    LineSplitter<TextFormatException> lines = new PrometheusTextParser(visitor).lines;
    lines.feed(page, page.length);
    lines.finish();
  }

  private void line(byte[] b, int start, int end, long number) throws TextFormatException {
    lineNumber = number;
    int p = skipBlanks(b, start, end);
    if (p == end) {
      return;
    }
    if (b[p] == '#') {
      comment(b, p + 1, end);
    } else {
      sample(b, p, end, start);
    }
  }

  private void comment(byte[] b, int start, int end) throws TextFormatException {
    int p = skipBlanks(b, start, end);
    int keywordEnd = tokenEnd(b, p, end);
    String keyword = new String(b, p, keywordEnd - p, ISO_8859_1);
    boolean help = keyword.equals("HELP");
    if (!help && !keyword.equals("TYPE")) {
      return;
    }
    p = skipBlanks(b, keywordEnd, end);
    if (p == end) {
      return; // "# HELP" alone is an ordinary comment, as in Prometheus' own parser.
    }
    int nameEnd = metricNameEnd(b, p, end);
    if (nameEnd == p || (nameEnd < end && !isBlank(b[nameEnd]))) {
      throw error("invalid metric name in " + keyword + " line" + found(b, nameEnd, end));
    }
    String name = new String(b, p, nameEnd - p, ISO_8859_1);
    p = skipBlanks(b, nameEnd, end);
    if (help) {
      if (!helped.add(name)) {
        throw error("second HELP line for " + name);
      }
      visitor.help(name, text.help(b, p, end, lineNumber), lineNumber);
      return;
    }
    int typeEnd = tokenEnd(b, p, end);
    String typeText = new String(b, p, typeEnd - p, ISO_8859_1);
    if (skipBlanks(b, typeEnd, end) != end) {
      throw error("unexpected text after the type in TYPE line for " + name);
    }
    MetricType type =
        MetricType.fromText(typeText)
            .orElseThrow(
                () ->
                    error(
                        "unknown type \""
                            + printable(typeText)
                            + "\" for "
                            + name
                            + " (want counter, gauge, histogram, summary or untyped)"));
    if (!typed.add(name)) {
      throw error("second TYPE line for " + name);
    }
    visitor.type(name, type, lineNumber);
  }

  private void sample(byte[] b, int start, int end, int lineStart) throws TextFormatException {
    int nameEnd = metricNameEnd(b, start, end);
    if (nameEnd == start) {
      throw error("expected a metric name" + foundAt(b, start, end, lineStart));
    }
    String name = TextTokens.latin1(b, start, nameEnd, previousName);
    previousName = name;
    int p = skipBlanks(b, nameEnd, end);
    Map<String, String> labels = Map.of();
    if (p < end && b[p] == '{') {
      p = labels(b, p + 1, end, lineStart);
      labels = new LineLabels(previousPairs);
      p = skipBlanks(b, p, end);
    } else if (p == nameEnd && p < end) {
      throw error("invalid character in metric name" + foundAt(b, p, end, lineStart));
    }
    if (p == end) {
      throw error("missing value for " + name);
    }
    int valueEnd = tokenEnd(b, p, end);
    double value = TextTokens.value(b, p, valueEnd, lineNumber);
    p = skipBlanks(b, valueEnd, end);
    OptionalLong timestamp = OptionalLong.empty();
    if (p < end) {
      int timestampEnd = tokenEnd(b, p, end);
      timestamp = OptionalLong.of(TextTokens.timestamp(b, p, timestampEnd, lineNumber));
      int extra = skipBlanks(b, timestampEnd, end);
      if (extra != end) {
        throw error("unexpected text after the timestamp" + foundAt(b, extra, end, lineStart));
      }
    }
    visitor.sample(new Sample(name, labels, value, timestamp), lineNumber);
  }

  /**
   * Reads {@code name="value",...}} into {@link #previousPairs} and returns the index after the
   * closing brace.
   */
  private int labels(byte[] b, int start, int end, int lineStart) throws TextFormatException {
    int p = start;
    int count = 0;
    while (true) {
      p = skipBlanks(b, p, end);
      if (p < end && b[p] == '}') {
        previousPairs = Arrays.copyOf(pairs, 2 * count);
        return p + 1;
      }
      int nameEnd = labelNameEnd(b, p, end);
      if (nameEnd == p) {
        throw error("expected a label name or '}'" + foundAt(b, p, end, lineStart));
      }
      String labelName = TextTokens.latin1(b, p, nameEnd, previous(2 * count));
      p = skipBlanks(b, nameEnd, end);
      if (p == end || b[p] != '=') {
        throw error(
            "expected '=' after label name \"" + labelName + "\"" + foundAt(b, p, end, lineStart));
      }
      p = skipBlanks(b, p + 1, end);
      if (p == end || b[p] != '"') {
        throw error(
            "expected '\"' to open the value of label \""
                + labelName
                + "\""
                + foundAt(b, p, end, lineStart));
      }
      p = text.labelValue(b, p + 1, end, labelName, lineNumber, previous(2 * count + 1));
      if (givenBefore(labelName, count)) {
        throw error("label \"" + labelName + "\" given twice");
      }
      if (2 * count + 2 > pairs.length) {
        pairs = Arrays.copyOf(pairs, 2 * pairs.length);
      }
      pairs[2 * count] = labelName;
      pairs[2 * count + 1] = text.value();
      count++;
      p = skipBlanks(b, p, end);
      if (p < end && b[p] == ',') {
        p++;
      } else if (p == end || b[p] != '}') {
        throw error(
            "expected ',' or '}' after the value of label \""
                + labelName
                + "\""
                + foundAt(b, p, end, lineStart));
      }
    }
  }

  /** The string at {@code index} of the last line's labels, or null past their end. */
  private String previous(int index) {
    return index < previousPairs.length ? previousPairs[index] : null;
  }

  /** Whether the line's first {@code count} labels include {@code labelName}. */
  private boolean givenBefore(String labelName, int count) {
    if (count < SCANNED_LABELS) {
      for (int i = 0; i < 2 * count; i += 2) {
        if (pairs[i].equals(labelName)) {
          return true;
        }
      }
      return false;
    }
    if (count == SCANNED_LABELS) {
      manyLabelNames.clear();
      for (int i = 0; i < 2 * count; i += 2) {
        manyLabelNames.add(pairs[i]);
      }
    }
    return !manyLabelNames.add(labelName);
  }

  private TextFormatException error(String reason) {
    return new TextFormatException(lineNumber, reason);
  }
}
