package io.planetexporter.task.inventory;

import io.planetexporter.textformat.LineSplitter;
import java.util.Arrays;

/**
 * Lines of a document gathered into a batch of whole lines of about {@link #BATCH_BYTES}, so that a
 * batch can be parsed with one JSON parser (a parser per line costs more than the line) while the
 * document is never held whole. Line {@code i} of a batch is line {@link #firstLine()} + {@code i}
 * of the document; a line over the limit is in its batch as an empty, {@linkplain #truncated(int)
 * truncated} line.
 *
 * <p>Not thread-safe.
 */
final class NdjsonBatches implements LineSplitter.LineReader<RuntimeException> {

  static final int BATCH_BYTES = 64 * 1024;

  private byte[] bytes = new byte[2 * BATCH_BYTES];
  private int length;
  private int[] starts = new int[1024];
  private boolean[] truncated = new boolean[1024];
  private int count;
  private long firstLine = 1;

  @Override
  public void line(byte[] b, int start, int end, long number) {
    add(b, start, end - start, number, false);
  }

  @Override
  public void overlong(long number) {
    add(bytes, 0, 0, number, true);
  }

  private void add(byte[] b, int start, int size, long number, boolean over) {
    if (count == 0) {
      firstLine = number;
    }
    if (length + size + 1 > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + size + 1));
    }
    if (count == starts.length) {
      starts = Arrays.copyOf(starts, count * 2);
      truncated = Arrays.copyOf(truncated, count * 2);
    }
    starts[count] = length;
    truncated[count] = over;
    count++;
    System.arraycopy(b, start, bytes, length, size);
    length += size;
    bytes[length++] = '\n';
  }

  /** Whether the batch has reached its size. */
  boolean full() {
    return length >= BATCH_BYTES;
  }

  /** Empties the batch for the lines that follow. */
  void clear() {
    length = 0;
    count = 0;
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

  /** Whether line {@code i} was over the limit, its bytes dropped. */
  boolean truncated(int i) {
    return truncated[i];
  }

  /** The document's number (from 1) of the batch's first line. */
  long firstLine() {
    return firstLine;
  }
}
