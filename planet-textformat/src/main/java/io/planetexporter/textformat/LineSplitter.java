package io.planetexporter.textformat;

import java.util.Arrays;

/**
 * Cuts a byte stream, fed in chunks, into LF-terminated lines, so that a document is never held
 * whole. A line that lies within one chunk is handed over in place; only a line that spans chunks
 * is copied, into a buffer that grows to the longest such line, up to the limit: a longer line's
 * bytes are dropped and the line is {@linkplain LineReader#overlong reported} instead. A last line
 * without its LF is still handed over by {@link #finish()}. Not thread-safe.
 *
 * @param <E> what the reader may throw
 */
public final class LineSplitter<E extends Exception> {

  /**
   * Receives each line.
   *
   * @param <E> what it may throw
   */
  @FunctionalInterface
  public interface LineReader<E extends Exception> {
    /**
     * A line without its LF, as {@code b[start, end)}, valid only during the call.
     *
     * @param number the line's 1-based number
     */
    void line(byte[] b, int start, int end, long number) throws E;

    /**
     * A line longer than the limit, whose bytes were dropped; by default an error.
     *
     * @param number the line's 1-based number
     */
    default void overlong(long number) throws E {
      throw new IllegalStateException("line " + number + " is over the limit");
    }
  }

  private final LineReader<E> reader;
  private final int maxLineBytes;
  private byte[] pending = new byte[256];
  private int pendingLength;
  private boolean dropping;
  private long lineNumber;

  /** Lines of any length. */
  public LineSplitter(LineReader<E> reader) {
    this(Integer.MAX_VALUE, reader);
  }

  /** Lines of at most {@code maxLineBytes} bytes, without their LF. */
  public LineSplitter(int maxLineBytes, LineReader<E> reader) {
    this.reader = reader;
    this.maxLineBytes = maxLineBytes;
  }

  /** Hands over every line that ends in {@code chunk[0, length)}; keeps the unfinished rest. */
  public void feed(byte[] chunk, int length) throws E {
    int start = 0;
    for (int i = 0; i < length; i++) {
      if (chunk[i] != '\n') {
        continue;
      }
      lineNumber++;
      if (pendingLength == 0 && !dropping && i - start <= maxLineBytes) {
        // The common case: the whole line is in this chunk, read it in place.
        reader.line(chunk, start, i, lineNumber);
      } else {
        append(chunk, start, i);
        end();
      }
      start = i + 1;
    }
    append(chunk, start, length);
  }

  /** Hands over the last line when the input did not end in LF. */
  public void finish() throws E {
    if (pendingLength > 0 || dropping) {
      // A document cut short of its final LF is still read to its end.
      lineNumber++;
      end();
    }
  }

  private void end() throws E {
    if (dropping) {
      reader.overlong(lineNumber);
    } else {
      reader.line(pending, 0, pendingLength, lineNumber);
    }
    pendingLength = 0;
    dropping = false;
  }

  private void append(byte[] bytes, int from, int to) {
    int length = to - from;
    if (dropping || pendingLength + length > maxLineBytes) {
      dropping = true;
      pendingLength = 0;
      return;
    }
    if (pendingLength + length > pending.length) {
      pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + length));
    }
    System.arraycopy(bytes, from, pending, pendingLength, length);
    pendingLength += length;
  }
}
