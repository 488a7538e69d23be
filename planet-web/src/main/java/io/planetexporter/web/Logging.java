package io.planetexporter.web;

import java.io.PrintStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Sends every java.util.logging record at or above the level to stderr through one formatter. */
public final class Logging {

  // Held so that the levels set on them are not lost when the loggers are garbage collected.
  private static final Logger ownLogger = Logger.getLogger("io.planetexporter");

  // The handler installed last, for logging past the JDK's shutdown hook that detaches it.
  private static volatile Handler installed;

  private Logging() {}

  /**
   * Logs through the installed handler directly: during shutdown the JDK's own hook may already
   * have removed it from the loggers.
   */
  public static void logDirect(Logger logger, Level level, String message) {
    Handler handler = installed;
    if (handler == null) {
      logger.log(level, message);
      return;
    }
    LogRecord record = new LogRecord(level, message);
    record.setLoggerName(logger.getName());
    handler.publish(record);
  }

  /**
   * Sends every record at or above {@code settings.level()} to {@code stderr} in logfmt or JSON;
   * also used by planet-map, so that both programs of the tarball log alike.
   *
   * @param terminal whether stderr is a terminal (colors are used only then)
   */
  public static void configure(LogSettings settings, PrintStream stderr, boolean terminal) {
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    LogFormatter formatter =
        new LogFormatter(
            settings.json(),
            settings.timestamps(),
            settings.colors() && terminal,
            settings.level().intValue() <= Level.FINE.intValue());
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (isLoggable(record)) {
              String line = formatter.format(record);
              synchronized (stderr) {
                stderr.print(line);
                stderr.flush();
              }
            }
          }

          @Override
          public void flush() {
            stderr.flush();
          }

          @Override
          public void close() {
            stderr.flush();
          }
        };
    handler.setLevel(settings.level());
    installed = handler;
    root.addHandler(handler);
    // Debug is for this program's own loggers: the JDK's (TLS, HTTP) write pages at that level.
    ownLogger.setLevel(settings.level());
    root.setLevel(
        settings.level().intValue() < Level.INFO.intValue() ? Level.INFO : settings.level());
  }
}
