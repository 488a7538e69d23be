package io.planetexporter.textformat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

  private static final String PAGE = "first\n\nthird line, longer than a chunk\nlast without LF";

  /** Feeds the page in chunks of {@code size} bytes; returns "number:text" per line. */
  private static List<String> split(String page, int size) throws TextFormatException {
    return split(page, size, Integer.MAX_VALUE);
  }

  /** As {@link #split(String, int)}, with lines of at most {@code max} bytes. */
  private static List<String> split(String page, int size, int max) throws TextFormatException {
    List<String> lines = new ArrayList<>();
    LineSplitter<TextFormatException> splitter =
        new LineSplitter<>(
            max,
            new LineSplitter.LineReader<>() {
              @Override
              public void line(byte[] b, int start, int end, long number) {
                lines.add(number + ":" + new String(b, start, end - start, UTF_8));
              }

              @Override
              public void overlong(long number) {
                lines.add(number + ": over the limit");
              }
            });
    byte[] bytes = page.getBytes(UTF_8);
    for (int from = 0; from < bytes.length; from += size) {
      byte[] chunk = Arrays.copyOfRange(bytes, from, Math.min(from + size, bytes.length));
      // A chunk buffer is reused by the caller: garbage after length must not be read.
      byte[] buffer = Arrays.copyOf(chunk, size + 3);
      Arrays.fill(buffer, chunk.length, buffer.length, (byte) '\n');
      splitter.feed(buffer, chunk.length);
    }
    splitter.finish();
    return lines;
  }

  @Test
  void handsOverTheSameLinesWhateverTheChunkSize() throws TextFormatException {
    for (int size = 1; size <= PAGE.length() + 1; size++) {
      assertThat(split(PAGE, size))
          .as("chunks of %d bytes", size)
          .containsExactly(
              "1:first", "2:", "3:third line, longer than a chunk", "4:last without LF");
    }
  }

  @Test
  void handsOverNothingMoreAtTheEndOfAPageEndingInLf() throws TextFormatException {
    assertThat(split("a\nb\n", 3)).containsExactly("1:a", "2:b");
    assertThat(split("", 3)).isEmpty();
  }

  @Test
  void dropsTheBytesOfALineOverTheLimitAndGoesOnWhateverTheChunkSize() throws TextFormatException {
    String page = "short\n" + "y".repeat(11) + "\nten bytes!\n" + "z".repeat(11);
    for (int size = 1; size <= page.length() + 1; size++) {
      assertThat(split(page, size, 10))
          .as("chunks of %d bytes", size)
          .containsExactly("1:short", "2: over the limit", "3:ten bytes!", "4: over the limit");
    }
  }

  @Test
  void refusesALineOverTheLimitUnlessTheReaderSaysOtherwise() {
    LineSplitter<RuntimeException> splitter = new LineSplitter<>(3, (b, start, end, number) -> {});

    assertThatThrownBy(() -> splitter.feed("abcd\n".getBytes(UTF_8), 5))
        .hasMessage("line 1 is over the limit");
  }
}
