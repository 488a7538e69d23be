package io.planetexporter.task.socketstat.owner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FdLinksTest {

  @TempDir Path fds;

  @BeforeEach
  void nativeReadsAvailable() {
    // The exporter's platform: 64-bit Linux, as every other test of this module assumes.
    assertThat(FdLinks.available()).as("FdLinks on this JVM").isTrue();
  }

  private static List<Long> read(Path directory) throws IOException {
    List<Long> inodes = new ArrayList<>();
    FdLinks.socketInodes(directory.toString(), inodes::add);
    return inodes;
  }

  @Test
  void findsTheSocketsThisJvmHoldsAsTheJdkReadsThem() throws IOException {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
        Socket accepted = server.accept()) {
      Path own = Path.of("/proc/self/fd");
      Set<Long> expected = new HashSet<>();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(own)) {
        for (Path fd : entries) {
          String target;
          try {
            target = Files.readSymbolicLink(fd).toString();
          } catch (NoSuchFileException closed) {
            continue;
          }
          if (target.startsWith("socket:[")) {
            expected.add(Long.parseLong(target.substring(8, target.length() - 1)));
          }
        }
      }

      Set<Long> found =
          new HashSet<>(read(Path.of("/proc/" + ProcessHandle.current().pid() + "/fd")));

      assertThat(client.isConnected() && accepted.isConnected()).isTrue();
      assertThat(expected).hasSizeGreaterThanOrEqualTo(3); // the three sockets above, at least
      assertThat(found).containsAll(expected);
    }
  }

  @Test
  void takesOnlyLinksToSockets() throws IOException {
    link("3", "socket:[4711]");
    link("4", "socket:[4294967295]");
    link("5", "pipe:[77]");
    link("6", "anon_inode:[eventfd]");
    link("7", "socket:[]");
    link("8", "socket:[12a4]");
    link("9", "socket:[" + "9".repeat(40) + "]"); // longer than any inode
    link("10", "/var/log/socket:[5]");
    Files.writeString(fds.resolve("11"), "socket:[6]"); // a file, not a link

    assertThat(read(fds)).containsExactlyInAnyOrder(4711L, 4_294_967_295L);
  }

  @Test
  void readsADirectoryLongerThanOneBufferOfEntries() throws IOException {
    Set<Long> expected = new HashSet<>();
    for (int i = 0; i < 3_000; i++) {
      link(Integer.toString(i), "socket:[" + (100_000 + i) + "]");
      expected.add(100_000L + i);
    }

    List<Long> found = read(fds);

    assertThat(found).hasSize(3_000);
    assertThat(new HashSet<>(found)).isEqualTo(expected);
  }

  @Test
  void saysAGoneProcessIsGone() {
    Path gone = fds.resolve("no-such-process/fd");

    assertThatThrownBy(() -> read(gone))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessage(gone.toString());
  }

  @Test
  void namesADirectoryThatIsNot() throws IOException {
    Path file = Files.writeString(fds.resolve("file"), "");

    assertThatThrownBy(() -> read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot read " + file);
  }

  @Test
  void parsesOnlyWholeSocketTargets() {
    assertThat(inode("socket:[1]")).isEqualTo(1);
    assertThat(inode("socket:[18446744]")).isEqualTo(18_446_744);
    assertThat(inode("socket:[")).isZero();
    assertThat(inode("socket:[]")).isZero();
    assertThat(inode("socket:[1")).isZero();
    assertThat(inode("sockex:[1]")).isZero();
    assertThat(inode("socket:[-1]")).isZero();
    assertThat(inode("")).isZero();
  }

  private static long inode(String target) {
    byte[] bytes = target.getBytes(StandardCharsets.US_ASCII);
    return FdLinks.socketInode(bytes, bytes.length);
  }

  private void link(String name, String target) throws IOException {
    Files.createSymbolicLink(fds.resolve(name), Path.of(target));
  }
}
