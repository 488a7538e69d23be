package io.planetexporter.task.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NdjsonLinesTest {

  /** Read sizes from one byte (every line spans reads) to more than the document. */
  @ParameterizedTest
  @ValueSource(ints = {1, 3, 7, 64, 100_000})
  void splitsLinesWhateverTheReadSizes(int readSize) throws IOException {
    String text = "first\n\nthird line\r\n" + "x".repeat(70_000) + "\nlast without newline";

    assertThat(lines(text, readSize, 1 << 20))
        .containsExactly(
            "1:first", "2:", "3:third line\r", "4:" + "x".repeat(70_000), "5:last without newline");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 100_000})
  void skipsTheBytesOfALineOverTheLimitAndGoesOn(int readSize) throws IOException {
    String text = "short\n" + "y".repeat(11) + "\nten bytes\n" + "z".repeat(11);

    assertThat(lines(text, readSize, 10))
        .containsExactly("1:short", "2:(truncated)", "3:ten bytes", "4:(truncated)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "one\n"})
  void endsAfterTheLastNewline(String text) throws IOException {
    assertThat(lines(text, 64, 100)).hasSize(text.isEmpty() ? 0 : 1);
  }

  private static List<String> lines(String text, int readSize, int maxLineBytes)
      throws IOException {
    NdjsonLines lines = new NdjsonLines(new Trickle(text, readSize), maxLineBytes);
    List<String> seen = new ArrayList<>();
    while (lines.next()) {
      seen.add(
          lines.number()
              + ":"
              + (lines.truncated()
                  ? "(truncated)"
                  : new String(
                      lines.bytes(), lines.offset(), lines.length(), StandardCharsets.UTF_8)));
    }
    return seen;
  }

  /** A stream that gives at most {@code readSize} bytes per read, as a slow network does. */
  private static final class Trickle extends InputStream {
    private final ByteArrayInputStream in;
    private final int readSize;

    Trickle(String text, int readSize) {
      this.in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
      this.readSize = readSize;
    }

    @Override
    public int read() {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return in.read(b, off, Math.min(len, readSize));
    }
  }
}
