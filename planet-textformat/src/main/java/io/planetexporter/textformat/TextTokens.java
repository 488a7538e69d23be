package io.planetexporter.textformat;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

/**
 * The pieces of a text-format line, read from bytes without a regex or a copy: blanks, tokens,
 * metric and label names, sample values and timestamps, and how an error shows the byte it found.
 * Pure functions, for {@link PrometheusTextParser}.
 */
final class TextTokens {

  private TextTokens() {}

  /**
   * A sample value: decimal, or {@code NaN}, {@code +Inf}, {@code -Inf} and Go's other spellings of
   * these (not its hexadecimal floats).
   *
   * @param line the line's number, for the error
   */
  static double value(byte[] b, int start, int end, long line) throws TextFormatException {
    long integer = smallInteger(b, start, end);
    if (integer >= 0) {
      return integer;
    }
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
      throw new TextFormatException(line, "invalid value \"" + printable(text) + "\"");
    }
    // The text is now a plain decimal number, which Double.parseDouble always reads.
    return Double.parseDouble(text);
  }

  /**
   * The value of a plain unsigned integer of at most 15 digits, which a double holds exactly (as
   * Double.parseDouble would give it), or -1 for any other text: byte counters are such integers,
   * and reading them needs no string.
   */
  private static long smallInteger(byte[] b, int start, int end) {
    if (end - start > 15 || start == end) {
      return -1;
    }
    long value = 0;
    for (int p = start; p < end; p++) {
      if (!isDigit(b[p])) {
        return -1;
      }
      value = value * 10 + (b[p] - '0');
    }
    return value;
  }

  /**
   * A timestamp: 64-bit integer milliseconds.
   *
   * @param line the line's number, for the error
   */
  static long timestamp(byte[] b, int start, int end, long line) throws TextFormatException {
    int p = start;
    boolean negative = b[p] == '-';
    if (b[p] == '+' || b[p] == '-') {
      p++;
    }
    if (p == end) {
      throw new TextFormatException(line, "invalid timestamp \"" + printable(b, start, end) + "\"");
    }
    long value = 0;
    for (; p < end; p++) {
      if (!isDigit(b[p])) {
        throw new TextFormatException(
            line, "invalid timestamp \"" + printable(b, start, end) + "\"");
      }
      int digit = b[p] - '0';
      // Accumulate negatively so that Long.MIN_VALUE fits.
      if (value < (Long.MIN_VALUE + digit) / 10) {
        throw new TextFormatException(
            line, "timestamp out of range \"" + printable(b, start, end) + "\"");
      }
      value = value * 10 - digit;
    }
    if (!negative) {
      if (value == Long.MIN_VALUE) {
        throw new TextFormatException(
            line, "timestamp out of range \"" + printable(b, start, end) + "\"");
      }
      value = -value;
    }
    return value;
  }

  static String foundAt(byte[] b, int p, int end, int lineStart) {
    return " at column " + (p - lineStart + 1) + found(b, p, end);
  }

  static String found(byte[] b, int p, int end) {
    if (p >= end) {
      return ", found the end of the line";
    }
    int c = b[p] & 0xff;
    return c >= 0x20 && c < 0x7f
        ? ", found '" + (char) c + "'"
        : String.format(", found byte 0x%02x", c);
  }

  static String printable(byte[] b, int start, int end) {
    return printable(new String(b, start, Math.min(end - start, 40), ISO_8859_1));
  }

  /** The text as safe to log: at most 40 characters, non-printable ones as '?'. */
  static String printable(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(text.length(), 40); i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return text.length() > 40 ? out.append("...").toString() : out.toString();
  }

  /**
   * {@code b[start, end)} as Latin-1 text: {@code candidate} itself when it is that text, so that
   * text repeated from line to line makes no new string.
   *
   * @param candidate a likely string, e.g. the same token's on the line before; may be null
   */
  static String latin1(byte[] b, int start, int end, String candidate) {
    return sameText(candidate, b, start, end)
        ? candidate
        : new String(b, start, end - start, ISO_8859_1);
  }

  private static boolean sameText(String text, byte[] b, int start, int end) {
    if (text == null || text.length() != end - start) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) != (char) (b[start + i] & 0xff)) {
        return false;
      }
    }
    return true;
  }

  static int skipBlanks(byte[] b, int p, int end) {
    while (p < end && isBlank(b[p])) {
      p++;
    }
    return p;
  }

  static int tokenEnd(byte[] b, int p, int end) {
    while (p < end && !isBlank(b[p])) {
      p++;
    }
    return p;
  }

  static int metricNameEnd(byte[] b, int p, int end) {
    if (p == end || !(isLetter(b[p]) || b[p] == '_' || b[p] == ':')) {
      return p;
    }
    p++;
    while (p < end && (isLetter(b[p]) || isDigit(b[p]) || b[p] == '_' || b[p] == ':')) {
      p++;
    }
    return p;
  }

  static int labelNameEnd(byte[] b, int p, int end) {
    if (p == end || !(isLetter(b[p]) || b[p] == '_')) {
      return p;
    }
    p++;
    while (p < end && (isLetter(b[p]) || isDigit(b[p]) || b[p] == '_')) {
      p++;
    }
    return p;
  }

  static boolean isBlank(byte c) {
    return c == ' ' || c == '\t';
  }

  static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  static boolean isLetter(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
