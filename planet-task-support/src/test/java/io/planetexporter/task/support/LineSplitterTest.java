package io.planetexporter.task.support;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

  private static final String PAGE = "first\n\nthird line, longer than a chunk\nlast without LF";

  /** Feeds the page in chunks of {@code size} bytes; returns "number:text" per line. */
  private static List<String> split(String page, int size) throws TextFormatException {
    List<String> lines = new ArrayList<>();
    LineSplitter splitter =
        new LineSplitter(
            (b, start, end, number) ->
                lines.add(number + ":" + new String(b, start, end - start, UTF_8)));
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
}
