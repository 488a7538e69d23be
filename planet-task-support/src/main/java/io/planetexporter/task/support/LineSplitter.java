package io.planetexporter.task.support;

import java.util.Arrays;

/**
 * Cuts a byte stream, fed in chunks, into LF-terminated lines, so that a page is never held whole.
 * A line that lies within one chunk is handed over in place; only a line that spans chunks is
 * copied, into a buffer that grows to the longest such line. A last line without its LF is still
 * handed over by {@link #finish()}. Not thread-safe.
 */
final class LineSplitter {

  /** Receives each line without its LF, as {@code b[start, end)}, valid only during the call. */
  @FunctionalInterface
  interface LineReader {
    /**
     * @param number the line's 1-based number
     */
    void line(byte[] b, int start, int end, long number) throws TextFormatException;
  }

  private final LineReader reader;
  private byte[] pending = new byte[256];
  private int pendingLength;
  private long lineNumber;

  LineSplitter(LineReader reader) {
    this.reader = reader;
  }

  /** Hands over every line that ends in {@code chunk[0, length)}; keeps the unfinished rest. */
  void feed(byte[] chunk, int length) throws TextFormatException {
    int start = 0;
    for (int i = 0; i < length; i++) {
      if (chunk[i] != '\n') {
        continue;
      }
      lineNumber++;
      if (pendingLength == 0) {
        // The common case: the whole line is in this chunk, read it in place.
        reader.line(chunk, start, i, lineNumber);
      } else {
        append(chunk, start, i);
        reader.line(pending, 0, pendingLength, lineNumber);
        pendingLength = 0;
      }
      start = i + 1;
    }
    append(chunk, start, length);
  }

  /** Hands over the last line when the input did not end in LF. */
  void finish() throws TextFormatException {
    if (pendingLength > 0) {
      // The format wants a final LF; a page cut short of it is still read to its end.
      lineNumber++;
      reader.line(pending, 0, pendingLength, lineNumber);
      pendingLength = 0;
    }
  }

  private void append(byte[] bytes, int from, int to) {
    int length = to - from;
    if (pendingLength + length > pending.length) {
      pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + length));
    }
    System.arraycopy(bytes, from, pending, pendingLength, length);
    pendingLength += length;
  }
}
