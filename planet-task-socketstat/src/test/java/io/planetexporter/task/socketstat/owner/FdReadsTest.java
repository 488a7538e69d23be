package io.planetexporter.task.socketstat.owner;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.task.socketstat.FakeProcTree;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FdReadsTest {

  @TempDir Path root;

  @BeforeEach
  void createTree() {
    new FakeProcTree(root)
        .process(3, "a", 30, 301, 302)
        .process(5, "b", 50, 501)
        .process(9, "c", 90, 901, 999);
  }

  private List<String> readAll(int aheadFrom) throws IOException {
    List<String> reads = new ArrayList<>();
    try (FdReads fdReads =
        FdReads.start(
            new ProcFsProcessSource(root),
            new int[] {9, 4, 3, 5},
            inode -> inode != 999,
            aheadFrom)) {
      while (fdReads.hasNext()) {
        FdReads.Read read = fdReads.next();
        StringBuilder text = new StringBuilder().append(read.pid).append(':');
        for (int i = 0; i < read.count; i++) {
          text.append(' ').append(read.inodes[i]);
        }
        if (read.failure != null) {
          text.append(' ').append(read.failure.getClass().getSimpleName());
        }
        reads.add(text.toString());
      }
    }
    return reads;
  }

  @Test
  void givesEachProcessesSearchedInodesInTheWalksOrder() throws IOException {
    assertThat(readAll(4))
        .containsExactly(
            "9: 901", "4: " + NoSuchFileException.class.getSimpleName(), "3: 301 302", "5: 501");
  }

  @Test
  void givesTheSameReadingPartOfTheProcessesOnAnotherThread() throws IOException {
    assertThat(readAll(1)).isEqualTo(readAll(4));
    assertThat(readAll(3)).isEqualTo(readAll(4));
    assertThat(readAll(0)).isEqualTo(readAll(4));
  }
}
