package io.planetexporter.web;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.text.MessageFormat;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Writes a record as one logfmt line ({@code time=... level=info msg="listening"
 * address=0.0.0.0:19100}) or one JSON object.
 *
 * <p>A record whose message has no {@code {0}} placeholder carries key-value pairs in its
 * parameters. A thrown exception becomes {@code err="..."} (its message and causes); its stack
 * trace follows on the next lines only at debug level.
 */
final class LogFormatter extends Formatter {

  // Indexed by severity(): debug, info, warn, error.
  private static final String[] LEVEL_NAMES = {"debug", "info", "warn", "error"};
  private static final String[] LEVEL_COLORS = {
    "\u001b[36m", "\u001b[32m", "\u001b[33m", "\u001b[31m"
  };

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

  private final boolean json;
  private final boolean timestamps;
  private final boolean colors;
  private final boolean stacks;

  LogFormatter(boolean json, boolean timestamps, boolean colors, boolean stacks) {
    this.json = json;
    this.timestamps = timestamps;
    this.colors = colors;
    this.stacks = stacks;
  }

  @Override
  public String format(LogRecord record) {
    StringBuilder line = new StringBuilder(128);
    if (json) {
      line.append('{');
    }
    if (timestamps) {
      field(line, "time", TIME.format(record.getInstant()));
    }
    String level = levelName(record.getLevel());
    if (colors && !json) {
      line.append(line.length() == 0 ? "" : " ")
          .append("level=")
          .append(color(record.getLevel()))
          .append(level)
          .append("\u001b[0m");
    } else {
      field(line, "level", level);
    }
    Object[] parameters = record.getParameters();
    String message = record.getMessage() == null ? "" : record.getMessage();
    boolean pairs = parameters != null && !message.contains("{0");
    // msg is always quoted, so that msg="listening" can be matched whatever the message.
    field(line, "msg", pairs || parameters == null ? message : format(message, parameters), true);
    field(line, "logger", shortName(record.getLoggerName()));
    if (pairs) {
      for (int i = 0; i + 1 < parameters.length; i += 2) {
        field(line, String.valueOf(parameters[i]), String.valueOf(parameters[i + 1]));
      }
    }
    Throwable thrown = record.getThrown();
    if (thrown != null) {
      field(line, "err", describe(thrown));
    }
    if (json) {
      if (thrown != null && stacks) {
        field(line, "stack", stackTrace(thrown));
      }
      line.append('}');
    }
    line.append('\n');
    if (!json && thrown != null && stacks) {
      line.append(stackTrace(thrown));
    }
    return line.toString();
  }

  private void field(StringBuilder line, String key, String value) {
    field(line, key, value, false);
  }

  private void field(StringBuilder line, String key, String value, boolean quote) {
    if (json) {
      if (line.length() > 1) {
        line.append(',');
      }
      quoted(line, key);
      line.append(':');
      quoted(line, value);
      return;
    }
    if (line.length() > 0) {
      line.append(' ');
    }
    line.append(key).append('=');
    if (!quote
        && !value.isEmpty()
        && value.chars().allMatch(c -> c > ' ' && c != '"' && c != '=' && c < 127)) {
      line.append(value);
      return;
    }
    quoted(line, value);
  }

  /** A JSON string literal; logfmt quotes its values the same way. */
  private static void quoted(StringBuilder line, String value) {
    line.append('"');
    JsonStringEncoder.getInstance().quoteAsString(value, line);
    line.append('"');
  }

  private static String format(String message, Object[] parameters) {
    try {
      return MessageFormat.format(message, parameters);
    } catch (IllegalArgumentException e) {
      return message;
    }
  }

  static String levelName(Level level) {
    return LEVEL_NAMES[severity(level)];
  }

  private static String color(Level level) {
    return LEVEL_COLORS[severity(level)];
  }

  private static int severity(Level level) {
    int value = level.intValue();
    if (value >= Level.SEVERE.intValue()) {
      return 3;
    }
    if (value >= Level.WARNING.intValue()) {
      return 2;
    }
    return value >= Level.INFO.intValue() ? 1 : 0;
  }

  private static String shortName(String loggerName) {
    if (loggerName == null) {
      return "";
    }
    return loggerName.substring(loggerName.lastIndexOf('.') + 1);
  }

  private static String describe(Throwable thrown) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (text.length() > 0) {
        text.append(": ");
      }
      String message = t.getMessage();
      text.append(message == null || message.isEmpty() ? t.getClass().getName() : message);
    }
    return text.toString();
  }

  private static String stackTrace(Throwable thrown) {
    StringWriter out = new StringWriter();
    thrown.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
