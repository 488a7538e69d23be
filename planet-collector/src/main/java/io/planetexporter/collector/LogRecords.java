package io.planetexporter.collector;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Log records with key-value pairs: the parameters of a record whose message has no {@code {0}}
 * placeholder are read as alternating keys and values by the program's formatter.
 */
final class LogRecords {

  private LogRecords() {}

  static void log(Logger logger, Level level, String message, Throwable thrown, Object... pairs) {
    if (!logger.isLoggable(level)) {
      return;
    }
    LogRecord record = new LogRecord(level, message);
    record.setLoggerName(logger.getName());
    record.setParameters(pairs);
    record.setThrown(thrown);
    logger.log(record);
  }
}
