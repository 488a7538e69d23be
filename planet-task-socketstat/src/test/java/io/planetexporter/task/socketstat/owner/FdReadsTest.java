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

  private List<String> readAll(int readers) throws IOException {
    return readAll(new int[] {9, 4, 3, 5}, readers);
  }

  private List<String> readAll(int[] order, int readers) throws IOException {
    List<String> reads = new ArrayList<>();
    try (FdReads fdReads =
        FdReads.start(new ProcFsProcessSource(root), order, inode -> inode != 999, readers)) {
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
    assertThat(readAll(0))
        .containsExactly(
            "9: 901", "4: " + NoSuchFileException.class.getSimpleName(), "3: 301 302", "5: 501");
  }

  @Test
  void givesTheSameWhenOtherThreadsReadAhead() throws IOException {
    assertThat(readAll(1)).isEqualTo(readAll(0));
    assertThat(readAll(2)).isEqualTo(readAll(0));
    assertThat(readAll(8)).isEqualTo(readAll(0));
  }

  @Test
  void givesTheSameWhenTheCallerAndTheOtherThreadsTakeProcessesAtOnce() throws IOException {
    FakeProcTree proc = new FakeProcTree(root);
    int[] order = new int[300];
    for (int i = 0; i < order.length; i++) {
      order[i] = 100 + i;
      proc.process(order[i], "p" + i, 1, 10_000L * i, 10_000L * i + 1, 10_000L * i + 2);
    }
    List<String> alone = readAll(order, 0);

    // Taken as each is read: the caller reads whichever place no other thread took yet.
    for (int round = 0; round < 20; round++) {
      assertThat(readAll(order, 2)).isEqualTo(alone);
    }
  }
}
