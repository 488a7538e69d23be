package io.planetexporter.task.socketstat.owner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.task.socketstat.FakeProcTree;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsProcessSourceTest {

  @TempDir Path root;

  @Test
  void listsOnlyNumericEntriesAscending() throws IOException {
    new FakeProcTree(root)
        .process(300, "c", 1)
        .process(20, "b", 1)
        .process(1, "a", 1)
        .file("net/tcp", "")
        .file("self/comm", "x\n");

    assertThat(new ProcFsProcessSource(root).pids()).containsExactly(1, 20, 300);
  }

  @Test
  void readsSocketInodesAndSkipsOtherFds() throws IOException {
    new FakeProcTree(root).process(7, "app", 1, 501, 18_446_744L);
    List<Long> inodes = new ArrayList<>();

    new ProcFsProcessSource(root).socketInodes(7, inodes::add);

    assertThat(inodes).containsExactlyInAnyOrder(501L, 18_446_744L);
  }

  @Test
  void findsTheStartTimeAfterACommWithSpacesAndParentheses() throws IOException {
    new FakeProcTree(root).process(7, "a) b (c", 123456789);

    ProcFsProcessSource source = new ProcFsProcessSource(root);

    assertThat(source.startTime(7)).isEqualTo(123456789);
    assertThat(source.name(7)).isEqualTo("a) b (c");
  }

  @Test
  void saysNoSuchFileForAProcessThatExited() throws IOException {
    new FakeProcTree(root).vanished(7);
    ProcFsProcessSource source = new ProcFsProcessSource(root);

    assertThatThrownBy(() -> source.socketInodes(7, inode -> {}))
        .isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> source.startTime(7)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void readsThisProcessOnTheRealProc() throws IOException {
    ProcFsProcessSource source = new ProcFsProcessSource(Path.of("/proc"));
    int pid = (int) ProcessHandle.current().pid();

    assertThat(source.pids()).contains(pid);
    assertThat(source.name(pid)).isEqualTo("java");
    assertThat(source.startTime(pid)).isPositive();
  }
}
