package io.planetexporter.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LogFormatterTest {

  private static LogRecord record(Level level, String message, Object... pairs) {
    LogRecord record = new LogRecord(level, message);
    record.setInstant(Instant.parse("2026-01-02T03:04:05.678Z"));
    record.setLoggerName("io.planetexporter.server.Exporter");
    if (pairs.length > 0) {
      record.setParameters(pairs);
    }
    return record;
  }

  @Nested
  class Logfmt {

    private final LogFormatter formatter = new LogFormatter(false, true, false, false);

    @Test
    void writesTimeLevelQuotedMessageAndPairs() {
      assertThat(
              formatter.format(
                  record(Level.INFO, "listening", "address", "127.0.0.1:19100", "note", "a b")))
          .isEqualTo(
              "time=2026-01-02T03:04:05.678Z level=info msg=\"listening\" logger=Exporter"
                  + " address=127.0.0.1:19100 note=\"a b\"\n");
    }

    @Test
    void namesLevelsAsGoKitDoes() {
      assertThat(formatter.format(record(Level.FINE, "m"))).contains(" level=debug ");
      assertThat(formatter.format(record(Level.WARNING, "m"))).contains(" level=warn ");
      assertThat(formatter.format(record(Level.SEVERE, "m"))).contains(" level=error ");
    }

    @Test
    void escapesQuotesAndNewlines() {
      assertThat(formatter.format(record(Level.INFO, "m", "err", "bad \"x\"\nnext")))
          .endsWith(" err=\"bad \\\"x\\\"\\nnext\"\n");
    }

    @Test
    void fillsPlaceholdersOfAClassicMessage() {
      assertThat(formatter.format(record(Level.INFO, "read {0} entries", 42)))
          .contains(" msg=\"read 42 entries\" ");
    }

    @Test
    void writesTheExceptionAndItsCausesAsErr() {
      LogRecord record = record(Level.WARNING, "task failed", "task", "inventory");
      record.setThrown(new IOException("GET http://x: HTTP 500", new IllegalStateException("y")));

      assertThat(formatter.format(record))
          .endsWith(" task=inventory err=\"GET http://x: HTTP 500: y\"\n");
    }

    @Test
    void addsTheStackTraceAtDebugLevel() {
      LogRecord record = record(Level.WARNING, "task failed");
      record.setThrown(new IOException("boom"));

      String text = new LogFormatter(false, true, false, true).format(record);

      assertThat(text.lines().findFirst().orElseThrow()).endsWith(" err=boom");
      assertThat(text).contains("\njava.io.IOException: boom\n\tat ");
    }

    @Test
    void leavesOutTheTimeWhenAsked() {
      assertThat(new LogFormatter(false, false, false, false).format(record(Level.INFO, "m")))
          .isEqualTo("level=info msg=\"m\" logger=Exporter\n");
    }

    @Test
    void colorsTheLevelWhenAsked() {
      assertThat(new LogFormatter(false, false, true, false).format(record(Level.WARNING, "m")))
          .startsWith("level=\u001b[33mwarn\u001b[0m msg=\"m\"");
    }
  }

  @Nested
  class Json {

    private final LogFormatter formatter = new LogFormatter(true, true, true, false);

    @Test
    void writesOneObjectPerLine() {
      assertThat(formatter.format(record(Level.INFO, "listening", "address", "[::1]:19100")))
          .isEqualTo(
              "{\"time\":\"2026-01-02T03:04:05.678Z\",\"level\":\"info\",\"msg\":\"listening\","
                  + "\"logger\":\"Exporter\",\"address\":\"[::1]:19100\"}\n");
    }

    @Test
    void escapesStrings() {
      LogRecord record = record(Level.SEVERE, "a \"b\"\\\n\u0001");

      assertThat(formatter.format(record)).contains("\"msg\":\"a \\\"b\\\"\\\\\\n\\u0001\"");
    }
  }
}
