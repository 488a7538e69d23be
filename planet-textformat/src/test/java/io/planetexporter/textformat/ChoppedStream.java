package io.planetexporter.textformat;

import java.io.InputStream;
import java.util.function.IntUnaryOperator;

/**
 * A stream over bytes whose reads return no more than a chosen number of bytes, as a network would
 * cut them, so that lines span reads.
 */
final class ChoppedStream extends InputStream {
  private final byte[] bytes;
  private final IntUnaryOperator readSize;
  private int next;

  /**
   * @param readSize given the bytes a read asks for (at least 1), how many it returns at most
   */
  ChoppedStream(byte[] bytes, IntUnaryOperator readSize) {
    this.bytes = bytes;
    this.readSize = readSize;
  }

  @Override
  public int read() {
    return next < bytes.length ? bytes[next++] & 0xff : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (next == bytes.length) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    int n = Math.min(Math.min(len, bytes.length - next), readSize.applyAsInt(len));
    System.arraycopy(bytes, next, b, off, n);
    next += n;
    return n;
  }
}
