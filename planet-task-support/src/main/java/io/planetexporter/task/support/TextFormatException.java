package io.planetexporter.task.support;

/**
 * A page that does not follow the Prometheus text exposition format, or a sample that its reader
 * cannot use. The message names the line, e.g. {@code line 3: expected '=' after label name "ip"}.
 */
public final class TextFormatException extends Exception {

  private static final long serialVersionUID = 1L;

  private final long line;

  /**
   * @param line the 1-based number of the offending line
   * @param reason what was wrong with it
   */
  public TextFormatException(long line, String reason) {
    super("line " + line + ": " + reason);
    this.line = line;
  }

  /** The 1-based number of the offending line. */
  public long line() {
    return line;
  }
}
