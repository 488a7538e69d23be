package io.planetexporter.task.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The lines of a stream in batches of whole lines of about {@link #BATCH_BYTES}, so that a batch
 * can be parsed with one JSON parser (a parser per line costs more than the line) while the stream
 * is never held whole. Line {@code i} of a batch is line {@link #firstLine()} + {@code i} of the
 * stream; a line over the limit is in its batch as an empty, {@link #truncated(int) truncated}
 * line.
 *
 * <p>Not thread-safe.
 */
final class NdjsonBatches {

  static final int BATCH_BYTES = 64 * 1024;

  private final NdjsonLines lines;
  private byte[] bytes = new byte[BATCH_BYTES + 1024];
  private int length;
  private int[] starts = new int[1024];
  private boolean[] truncated = new boolean[1024];
  private int count;
  private int firstLine = 1;
  private boolean pending;

  NdjsonBatches(InputStream in, int maxLineBytes) {
    this.lines = new NdjsonLines(in, maxLineBytes);
  }

  /** Moves to the next batch; false at the end of the stream. */
  boolean next() throws IOException {
    firstLine += count;
    length = 0;
    count = 0;
    while (length < BATCH_BYTES && (pending || lines.next())) {
      pending = false;
      if (count > 0 && length + lines.length() + 1 > bytes.length) {
        pending = true; // starts the next batch
        break;
      }
      add();
    }
    return count > 0;
  }

  private void add() {
    int size = lines.length();
    if (length + size + 1 > bytes.length) {
      bytes = Arrays.copyOf(bytes, length + size + 1);
    }
    if (count == starts.length) {
      starts = Arrays.copyOf(starts, count * 2);
      truncated = Arrays.copyOf(truncated, count * 2);
    }
    starts[count] = length;
    truncated[count] = lines.truncated();
    count++;
    System.arraycopy(lines.bytes(), lines.offset(), bytes, length, size);
    length += size;
    bytes[length++] = '\n';
  }

  /** The batch's lines, each followed by a newline, from offset 0 to {@link #length()}. */
  byte[] bytes() {
    return bytes;
  }

  int length() {
    return length;
  }

  /** How many lines the batch has. */
  int lines() {
    return count;
  }

  /** Where line {@code i} of the batch starts in {@link #bytes()}. */
  int start(int i) {
    return starts[i];
  }

  /** Where line {@code i} of the batch ends (its newline) in {@link #bytes()}. */
  int end(int i) {
    return (i + 1 < count ? starts[i + 1] : length) - 1;
  }

  /** Whether line {@code i} was over the limit, its bytes skipped. */
  boolean truncated(int i) {
    return truncated[i];
  }

  /** The stream's number (from 1) of the batch's first line. */
  int firstLine() {
    return firstLine;
  }
}
