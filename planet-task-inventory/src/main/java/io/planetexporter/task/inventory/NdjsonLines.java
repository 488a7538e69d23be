package io.planetexporter.task.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The lines of a stream, one at a time, without holding the stream whole: a line is handed out as a
 * slice of a buffer that the next line reuses. A line longer than the limit is handed out empty and
 * {@link #truncated() truncated} (its bytes are skipped, never buffered).
 *
 * <p>Not thread-safe.
 */
final class NdjsonLines {

  private static final int CHUNK = 64 * 1024;

  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] chunk = new byte[CHUNK];
  private int chunkStart;
  private int chunkEnd;
  private boolean endOfStream;

  /** Where a line that spans chunks is put together. */
  private byte[] joined = new byte[256];

  private byte[] bytes;
  private int offset;
  private int length;
  private boolean truncated;
  private int number;

  NdjsonLines(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /** Moves to the next line; false at the end of the stream. */
  boolean next() throws IOException {
    int joinedLength = 0;
    truncated = false;
    while (true) {
      if (chunkStart == chunkEnd && !fill()) {
        if (joinedLength == 0 && !truncated) {
          return false;
        }
        return found(joined, 0, joinedLength);
      }
      int newline = indexOfNewline();
      int end = newline < 0 ? chunkEnd : newline;
      if (newline >= 0 && joinedLength == 0 && !truncated && end - chunkStart <= maxLineBytes) {
        found(chunk, chunkStart, end - chunkStart);
        chunkStart = end + 1;
        return true;
      }
      int piece = end - chunkStart;
      if (truncated || joinedLength + piece > maxLineBytes) {
        truncated = true;
        joinedLength = 0;
      } else {
        if (joinedLength + piece > joined.length) {
          joined = Arrays.copyOf(joined, Math.max(joinedLength + piece, joined.length * 2));
        }
        System.arraycopy(chunk, chunkStart, joined, joinedLength, piece);
        joinedLength += piece;
      }
      chunkStart = newline < 0 ? chunkEnd : end + 1;
      if (newline >= 0) {
        return found(joined, 0, joinedLength);
      }
    }
  }

  private boolean found(byte[] in, int from, int count) {
    bytes = in;
    offset = from;
    length = count;
    number++;
    return true;
  }

  private int indexOfNewline() {
    for (int i = chunkStart; i < chunkEnd; i++) {
      if (chunk[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private boolean fill() throws IOException {
    if (endOfStream) {
      return false;
    }
    int read = in.read(chunk, 0, chunk.length);
    if (read < 0) {
      endOfStream = true;
      return false;
    }
    chunkStart = 0;
    chunkEnd = read;
    return true;
  }

  /** The buffer holding the current line, valid until the next call of {@link #next()}. */
  byte[] bytes() {
    return bytes;
  }

  int offset() {
    return offset;
  }

  /** The current line's length, without its newline; 0 when truncated. */
  int length() {
    return length;
  }

  /** Whether the current line was longer than the limit, and skipped. */
  boolean truncated() {
    return truncated;
  }

  /** The current line's number, from 1. */
  int number() {
    return number;
  }
}
