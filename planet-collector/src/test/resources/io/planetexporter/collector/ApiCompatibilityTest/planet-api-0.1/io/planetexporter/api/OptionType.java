package io.planetexporter.api;

import java.time.Duration;
import java.util.Locale;

/** The kinds of value an option takes, each with the one way its text is read. */
public enum OptionType {
  /** Any text. */
  STRING {
    @Override
    public Object parse(String text) {
      return text;
    }
  },
  /** {@code true} or {@code false} (also {@code 1}/{@code 0}, as Go's flag package). */
  BOOLEAN {
    @Override
    public Object parse(String text) {
      switch (text.toLowerCase(Locale.ROOT)) {
        case "true":
        case "1":
        case "t":
          return Boolean.TRUE;
        case "false":
        case "0":
        case "f":
          return Boolean.FALSE;
        default:
          throw new IllegalArgumentException(
              "invalid boolean \"" + text + "\" (want true or false)");
      }
    }
  },
  /** A decimal integer, read as a {@code long}. */
  INTEGER {
    @Override
    public Object parse(String text) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid integer \"" + text + "\"", e);
      }
    }
  },
  /** A Go duration such as {@code 7s}, read as a {@link Duration}; see {@link GoDuration}. */
  DURATION {
    @Override
    public Object parse(String text) {
      return GoDuration.parse(text);
    }
  },
  /**
   * A size in bytes, read as a {@code long}: a number with an optional unit {@code B}, {@code KiB},
   * {@code MiB}, {@code GiB} (or {@code KB}, {@code MB}, {@code GB}, powers of 1000).
   */
  BYTES {
    @Override
    public Object parse(String text) {
      int unitStart = 0;
      while (unitStart < text.length() && Character.isDigit(text.charAt(unitStart))) {
        unitStart++;
      }
      if (unitStart == 0) {
        throw invalidSize(text);
      }
      long multiplier;
      switch (text.substring(unitStart).trim()) {
        case "":
        case "B":
          multiplier = 1L;
          break;
        case "KiB":
          multiplier = 1L << 10;
          break;
        case "MiB":
          multiplier = 1L << 20;
          break;
        case "GiB":
          multiplier = 1L << 30;
          break;
        case "KB":
          multiplier = 1_000L;
          break;
        case "MB":
          multiplier = 1_000_000L;
          break;
        case "GB":
          multiplier = 1_000_000_000L;
          break;
        default:
          throw invalidSize(text);
      }
      try {
        return Math.multiplyExact(Long.parseLong(text.substring(0, unitStart)), multiplier);
      } catch (ArithmeticException | NumberFormatException e) {
        throw invalidSize(text);
      }
    }
  };

  /**
   * Reads the option's text.
   *
   * @return a {@code String}, {@code Boolean}, {@code Long}, {@link Duration} or {@code Long}
   *     (bytes), by type
   * @throws IllegalArgumentException with a message that quotes the text and says what was wanted
   */
  public abstract Object parse(String text);

  private static IllegalArgumentException invalidSize(String text) {
    return new IllegalArgumentException(
        "invalid size \"" + text + "\" (want e.g. 65536, 512KiB, 64MiB)");
  }
}
