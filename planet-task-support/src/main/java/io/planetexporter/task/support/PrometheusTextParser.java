package io.planetexporter.task.support;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * milliseconds. Anything else is a {@link TextFormatException} naming the line; no other exception
 * escapes.
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

  private static final int CHUNK_SIZE = 8192;

  private final Visitor visitor;
  private final CharsetDecoder utf8 =
      UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final Set<String> helped = new HashSet<>();
  private final Set<String> typed = new HashSet<>();
  private byte[] pending = new byte[256];
  private int pendingLength;
  private byte[] scratch = new byte[64];
  private int scratchLength;
  private long lineNumber;

  private PrometheusTextParser(Visitor visitor) {
    this.visitor = visitor;
  }

  /** Parses the page read from {@code in} until its end; does not close it. */
  public static void parse(InputStream in, Visitor visitor)
      throws IOException, TextFormatException {
    PrometheusTextParser parser = new PrometheusTextParser(visitor);
    byte[] chunk = new byte[CHUNK_SIZE];
    for (int n = in.read(chunk); n != -1; n = in.read(chunk)) {
      parser.feed(chunk, n);
    }
    parser.finish();
  }

  /** Parses a whole page held in memory. */
  public static void parse(byte[] page, Visitor visitor) throws TextFormatException {
    PrometheusTextParser parser = new PrometheusTextParser(visitor);
    parser.feed(page, page.length);
    parser.finish();
  }

  private void feed(byte[] chunk, int length) throws TextFormatException {
    int start = 0;
    for (int i = 0; i < length; i++) {
      if (chunk[i] != '\n') {
        continue;
      }
      lineNumber++;
      if (pendingLength == 0) {
        // The common case: the whole line is in this chunk, parse it in place.
        line(chunk, start, i);
      } else {
        append(chunk, start, i);
        line(pending, 0, pendingLength);
        pendingLength = 0;
      }
      start = i + 1;
    }
    append(chunk, start, length);
  }

  private void finish() throws TextFormatException {
    if (pendingLength > 0) {
      // The format wants a final LF; a page cut short of it is still read to its end.
      lineNumber++;
      line(pending, 0, pendingLength);
      pendingLength = 0;
    }
  }

  private void append(byte[] bytes, int from, int to) {
    int length = to - from;
    if (pendingLength + length > pending.length) {
      pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + length));
    }
    System.arraycopy(bytes, from, pending, pendingLength, length);
    pendingLength += length;
  }

  private void line(byte[] b, int start, int end) throws TextFormatException {
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
      visitor.help(name, helpText(b, p, end), lineNumber);
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

  private String helpText(byte[] b, int start, int end) throws TextFormatException {
    int length = 0;
    for (int p = start; p < end; p++) {
      byte c = b[p];
      if (c == '\\') {
        p++;
        if (p == end) {
          throw error("HELP text ends in a lone backslash");
        }
        if (b[p] == '\\') {
          c = '\\';
        } else if (b[p] == 'n') {
          c = '\n';
        } else {
          throw error("invalid escape sequence in HELP text" + found(b, p, end));
        }
      }
      length = put(length, c);
    }
    return decode(length, "HELP text");
  }

  private void sample(byte[] b, int start, int end, int lineStart) throws TextFormatException {
    int nameEnd = metricNameEnd(b, start, end);
    if (nameEnd == start) {
      throw error("expected a metric name" + foundAt(b, start, end, lineStart));
    }
    String name = new String(b, start, nameEnd - start, ISO_8859_1);
    int p = skipBlanks(b, nameEnd, end);
    Map<String, String> labels = Map.of();
    if (p < end && b[p] == '{') {
      labels = new LinkedHashMap<>();
      p = labels(b, p + 1, end, lineStart, labels);
      p = skipBlanks(b, p, end);
    } else if (p == nameEnd && p < end) {
      throw error("invalid character in metric name" + foundAt(b, p, end, lineStart));
    }
    if (p == end) {
      throw error("missing value for " + name);
    }
    int valueEnd = tokenEnd(b, p, end);
    double value = value(b, p, valueEnd);
    p = skipBlanks(b, valueEnd, end);
    OptionalLong timestamp = OptionalLong.empty();
    if (p < end) {
      int timestampEnd = tokenEnd(b, p, end);
      timestamp = OptionalLong.of(timestamp(b, p, timestampEnd));
      int extra = skipBlanks(b, timestampEnd, end);
      if (extra != end) {
        throw error("unexpected text after the timestamp" + foundAt(b, extra, end, lineStart));
      }
    }
    visitor.sample(new Sample(name, labels, value, timestamp), lineNumber);
  }

  /** Reads {@code name="value",...}} and returns the index after the closing brace. */
  private int labels(byte[] b, int start, int end, int lineStart, Map<String, String> labels)
      throws TextFormatException {
    int p = start;
    while (true) {
      p = skipBlanks(b, p, end);
      if (p < end && b[p] == '}') {
        return p + 1;
      }
      int nameEnd = labelNameEnd(b, p, end);
      if (nameEnd == p) {
        throw error("expected a label name or '}'" + foundAt(b, p, end, lineStart));
      }
      String labelName = new String(b, p, nameEnd - p, ISO_8859_1);
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
      p = labelValue(b, p + 1, end, labelName);
      if (labels.put(labelName, decode(scratchLength, "value of label \"" + labelName + "\""))
          != null) {
        throw error("label \"" + labelName + "\" given twice");
      }
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

  /** Unescapes a label value into {@link #scratch}; returns the index after its closing quote. */
  private int labelValue(byte[] b, int start, int end, String labelName)
      throws TextFormatException {
    int length = 0;
    for (int p = start; p < end; p++) {
      byte c = b[p];
      if (c == '"') {
        scratchLength = length;
        return p + 1;
      }
      if (c == '\\') {
        p++;
        if (p == end) {
          break;
        }
        switch (b[p]) {
          case '\\':
            c = '\\';
            break;
          case '"':
            c = '"';
            break;
          case 'n':
            c = '\n';
            break;
          default:
            throw error(
                "invalid escape sequence in the value of label \""
                    + labelName
                    + "\""
                    + found(b, p, end));
        }
      }
      length = put(length, c);
    }
    throw error("unterminated value of label \"" + labelName + "\"");
  }

  private int put(int length, byte c) {
    if (length == scratch.length) {
      scratch = Arrays.copyOf(scratch, length * 2);
    }
    scratch[length] = c;
    return length + 1;
  }

  private String decode(int length, String what) throws TextFormatException {
    for (int i = 0; i < length; i++) {
      if (scratch[i] < 0) {
        try {
          return utf8.decode(ByteBuffer.wrap(scratch, 0, length)).toString();
        } catch (CharacterCodingException e) {
          throw error("invalid UTF-8 in " + what);
        }
      }
    }
    return new String(scratch, 0, length, ISO_8859_1);
  }

  private double value(byte[] b, int start, int end) throws TextFormatException {
    String text = new String(b, start, end - start, ISO_8859_1);
    int p = start;
    boolean negative = false;
    if (b[p] == '+' || b[p] == '-') {
      negative = b[p] == '-';
      p++;
    }
    String unsigned = text.substring(p - start);
    if (unsigned.equalsIgnoreCase("inf") || unsigned.equalsIgnoreCase("infinity")) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (p == start && unsigned.equalsIgnoreCase("nan")) {
      return Double.NaN;
    }
    int digits = 0;
    while (p < end && isDigit(b[p])) {
      p++;
      digits++;
    }
    if (p < end && b[p] == '.') {
      p++;
      while (p < end && isDigit(b[p])) {
        p++;
        digits++;
      }
    }
    if (digits > 0 && p < end && (b[p] == 'e' || b[p] == 'E')) {
      p++;
      if (p < end && (b[p] == '+' || b[p] == '-')) {
        p++;
      }
      int exponentDigits = 0;
      while (p < end && isDigit(b[p])) {
        p++;
        exponentDigits++;
      }
      digits = exponentDigits == 0 ? 0 : digits;
    }
    if (digits == 0 || p != end) {
      throw error("invalid value \"" + printable(text) + "\"");
    }
    // The text is now a plain decimal number, which Double.parseDouble always reads.
    return Double.parseDouble(text);
  }

  private long timestamp(byte[] b, int start, int end) throws TextFormatException {
    int p = start;
    boolean negative = b[p] == '-';
    if (b[p] == '+' || b[p] == '-') {
      p++;
    }
    if (p == end) {
      throw error("invalid timestamp \"" + printable(b, start, end) + "\"");
    }
    long value = 0;
    for (; p < end; p++) {
      if (!isDigit(b[p])) {
        throw error("invalid timestamp \"" + printable(b, start, end) + "\"");
      }
      int digit = b[p] - '0';
      // Accumulate negatively so that Long.MIN_VALUE fits.
      if (value < (Long.MIN_VALUE + digit) / 10) {
        throw error("timestamp out of range \"" + printable(b, start, end) + "\"");
      }
      value = value * 10 - digit;
    }
    if (!negative) {
      if (value == Long.MIN_VALUE) {
        throw error("timestamp out of range \"" + printable(b, start, end) + "\"");
      }
      value = -value;
    }
    return value;
  }

  private TextFormatException error(String reason) {
    return new TextFormatException(lineNumber, reason);
  }

  private static String foundAt(byte[] b, int p, int end, int lineStart) {
    return " at column " + (p - lineStart + 1) + found(b, p, end);
  }

  private static String found(byte[] b, int p, int end) {
    if (p >= end) {
      return ", found the end of the line";
    }
    int c = b[p] & 0xff;
    return c >= 0x20 && c < 0x7f
        ? ", found '" + (char) c + "'"
        : String.format(", found byte 0x%02x", c);
  }

  private static String printable(byte[] b, int start, int end) {
    return printable(new String(b, start, Math.min(end - start, 40), ISO_8859_1));
  }

  /** The text as safe to log: at most 40 characters, non-printable ones as '?'. */
  private static String printable(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(text.length(), 40); i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return text.length() > 40 ? out.append("...").toString() : out.toString();
  }

  private static int skipBlanks(byte[] b, int p, int end) {
    while (p < end && isBlank(b[p])) {
      p++;
    }
    return p;
  }

  private static int tokenEnd(byte[] b, int p, int end) {
    while (p < end && !isBlank(b[p])) {
      p++;
    }
    return p;
  }

  private static int metricNameEnd(byte[] b, int p, int end) {
    if (p == end || !(isLetter(b[p]) || b[p] == '_' || b[p] == ':')) {
      return p;
    }
    p++;
    while (p < end && (isLetter(b[p]) || isDigit(b[p]) || b[p] == '_' || b[p] == ':')) {
      p++;
    }
    return p;
  }

  private static int labelNameEnd(byte[] b, int p, int end) {
    if (p == end || !(isLetter(b[p]) || b[p] == '_')) {
      return p;
    }
    p++;
    while (p < end && (isLetter(b[p]) || isDigit(b[p]) || b[p] == '_')) {
      p++;
    }
    return p;
  }

  private static boolean isBlank(byte c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isLetter(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
