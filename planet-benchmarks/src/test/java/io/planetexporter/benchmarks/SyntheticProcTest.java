package io.planetexporter.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticProcTest {
  @Test
  void writesTheKernelsLineFormatWithAddressWordsInHostOrder() {
    List<String> lines =
        new String(SyntheticProc.tcpTable(2), StandardCharsets.US_ASCII).lines().toList();

    assertThat(lines).hasSize(3).allMatch(line -> line.length() == 149);
    // 198.18.255.1:32768 -> 198.18.0.2:443, ESTABLISHED, uid 1000, the second inode.
    assertThat(lines.get(2))
        .startsWith(
            "   1: 01FF12C6:8001 020012C6:01BB 01 00000000:00000000 00:00000000 00000000  1000"
                + "        0 1000001 1 ");
  }

  @Test
  void writesATreeWhoseProcessesHoldEverySocket(@TempDir Path root) throws Exception {
    SyntheticProc.writeTree(root, 10);

    assertThat(SocketCensus.take(root)).isEqualTo(new SocketCensus(10, 0, 10));
    try (Stream<Path> fds = Files.list(root.resolve("1000/fd"))) {
      assertThat(fds.map(SyntheticProcTest::readLink))
          .contains("socket:[1000000]", "socket:[1000004]");
    }
    assertThat(Files.readString(root.resolve("1003/comm"))).isEqualTo("client3\n");
  }

  private static String readLink(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
