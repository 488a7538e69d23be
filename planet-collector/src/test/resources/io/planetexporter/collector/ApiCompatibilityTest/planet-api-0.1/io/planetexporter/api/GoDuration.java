package io.planetexporter.api;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Durations written as Go writes them ({@code 7s}, {@code 1m30s}, {@code 500ms}, {@code 1.5h}), so
 * the flags of the Go program keep their meaning.
 *
 * <pre>{@code
 * Duration interval = GoDuration.parse("1m30s"); // PT1M30S
 * String text = GoDuration.format(interval);      // "1m30s"
 * }</pre>
 */
public final class GoDuration {

  private GoDuration() {}

  /**
   * Parses a sequence of decimal numbers, each with a unit ({@code ns us µs ms s m h}), or a bare
   * {@code 0}.
   *
   * @throws IllegalArgumentException naming the text when it is not such a duration or negative
   */
  public static Duration parse(String text) {
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    if (text.isEmpty() || text.startsWith("-")) {
      throw invalid(text);
    }
    int i = text.startsWith("+") ? 1 : 0;
    if (i == text.length()) {
      throw invalid(text);
    }
    BigDecimal nanos = BigDecimal.ZERO;
    while (i < text.length()) {
      int numberStart = i;
      while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
        i++;
      }
      String number = text.substring(numberStart, i);
      int unitStart = i;
      while (i < text.length() && !Character.isDigit(text.charAt(i)) && text.charAt(i) != '.') {
        i++;
      }
      String unit = text.substring(unitStart, i);
      if (number.isEmpty() || number.equals(".") || unit.isEmpty()) {
        throw invalid(text);
      }
      BigDecimal value;
      try {
        value = new BigDecimal(number);
      } catch (NumberFormatException e) {
        throw invalid(text);
      }
      nanos = nanos.add(value.multiply(BigDecimal.valueOf(nanosPer(unit, text))));
    }
    try {
      return Duration.ofNanos(nanos.longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("duration out of range: \"" + text + "\"", e);
    }
  }

  /** Writes the duration as Go's {@code time.Duration.String()} does, e.g. {@code 2m55s}. */
  public static String format(Duration duration) {
    if (duration.isNegative()) {
      return "-" + format(duration.negated());
    }
    if (duration.isZero()) {
      return "0s";
    }
    long nanos = duration.toNanos();
    if (nanos < 1_000) {
      return nanos + "ns";
    }
    if (nanos < 1_000_000) {
      return decimal(nanos, 1_000) + "us";
    }
    if (nanos < 1_000_000_000) {
      return decimal(nanos, 1_000_000) + "ms";
    }
    long hours = duration.toHours();
    int minutes = duration.toMinutesPart();
    String seconds = decimal(nanos % 60_000_000_000L, 1_000_000_000) + "s";
    if (hours > 0) {
      return hours + "h" + minutes + "m" + seconds;
    }
    return minutes > 0 ? minutes + "m" + seconds : seconds;
  }

  private static String decimal(long value, long unit) {
    return BigDecimal.valueOf(value)
        .divide(BigDecimal.valueOf(unit))
        .stripTrailingZeros()
        .toPlainString();
  }

  private static long nanosPer(String unit, String text) {
    switch (unit) {
      case "ns":
        return 1L;
      case "us":
      case "µs":
      case "μs":
        return 1_000L;
      case "ms":
        return 1_000_000L;
      case "s":
        return 1_000_000_000L;
      case "m":
        return 60_000_000_000L;
      case "h":
        return 3_600_000_000_000L;
      default:
        throw new IllegalArgumentException(
            "unknown unit \""
                + unit
                + "\" in duration \""
                + text
                + "\" (want ns, us, ms, s, m, h)");
    }
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "invalid duration \"" + text + "\" (want e.g. 7s, 1m30s, 500ms)");
  }
}
