package io.planetexporter.map;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Points in time as Prometheus's API takes them: RFC 3339 ({@code 2026-12-06T10:00:00Z}, {@code
 * 2026-12-06T11:00:00.5+01:00}) or Unix seconds, fractions allowed ({@code 1796551200.5}).
 */
final class Timestamps {

  private Timestamps() {}

  /**
   * Reads {@code text} as parameter or flag {@code name}.
   *
   * @throws IllegalArgumentException starting with {@code name}: when it does not parse or is later
   *     than {@code now} (no exporter has reported there: a map of the future would only look
   *     empty)
   */
  static Instant parse(String name, String text, Instant now) {
    Instant time;
    try {
      time = read(text.strip());
    } catch (DateTimeException | NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          name
              + ": want RFC 3339 (2026-12-06T10:00:00Z) or Unix seconds (1796551200), got \""
              + text
              + "\"",
          e);
    }
    if (time.isAfter(now)) {
      throw new IllegalArgumentException(
          name + ": " + format(time) + " is in the future (now is " + format(now) + ")");
    }
    return time;
  }

  private static Instant read(String text) {
    if (!text.isEmpty() && Character.isDigit(text.charAt(0)) && text.indexOf('-') < 0) {
      BigDecimal seconds = new BigDecimal(text);
      BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
      return Instant.ofEpochSecond(
          whole.longValueExact(), seconds.subtract(whole).movePointRight(9).intValue());
    }
    return OffsetDateTime.parse(
            text.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
        .toInstant();
  }

  /** RFC 3339 in UTC, e.g. {@code 2026-12-06T10:00:00Z}, for links, JSON and messages. */
  static String format(Instant time) {
    return DateTimeFormatter.ISO_INSTANT.format(time);
  }
}
