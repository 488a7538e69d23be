package io.planetexporter.textformat;

/**
 * A page that does not follow the Prometheus text exposition format, or a sample that its reader
 * cannot use. The message names the line, e.g. {@code line 3: expected '=' after label name "ip"},
 * and, once {@link #withSource given}, the page, e.g. {@code http://localhost:51666/metrics: line
 * 3: ...}.
 */
public final class TextFormatException extends Exception {

  private static final long serialVersionUID = 1L;

  private final long line;
  private final String reason;

  /**
   * @param line the 1-based number of the offending line
   * @param reason what was wrong with it
   */
  public TextFormatException(long line, String reason) {
    super("line " + line + ": " + reason);
    this.line = line;
    this.reason = reason;
  }

  private TextFormatException(String source, long line, String reason) {
    super(source + ": line " + line + ": " + reason);
    this.line = line;
    this.reason = reason;
  }

  /**
   * The same error with the page it is about named first in the message. It has no cause: the
   * collector logs every cause's message, which would repeat this one.
   */
  public TextFormatException withSource(String source) {
    return new TextFormatException(source, line, reason);
  }

  /** The 1-based number of the offending line. */
  public long line() {
    return line;
  }

  /** What was wrong with the line. */
  public String reason() {
    return reason;
  }
}
