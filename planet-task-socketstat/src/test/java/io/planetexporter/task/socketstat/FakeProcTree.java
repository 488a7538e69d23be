package io.planetexporter.task.socketstat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A proc file system in a directory: processes with socket fds, and the net tables. */
public final class FakeProcTree {

  private final Path root;

  public FakeProcTree(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** Adds or replaces a process holding the given socket inodes as fds 3, 4, ... */
  public FakeProcTree process(int pid, String comm, long startTime, long... inodes) {
    try {
      remove(pid);
      Path dir = root.resolve(Integer.toString(pid));
      Path fds = Files.createDirectories(dir.resolve("fd"));
      Files.createSymbolicLink(fds.resolve("0"), Path.of("anon_inode:[eventfd]"));
      Files.createSymbolicLink(fds.resolve("1"), Path.of("pipe:[77]"));
      for (int i = 0; i < inodes.length; i++) {
        Files.createSymbolicLink(
            fds.resolve(Integer.toString(i + 3)), Path.of("socket:[" + inodes[i] + "]"));
      }
      Files.writeString(dir.resolve("comm"), comm + "\n");
      Files.writeString(
          dir.resolve("stat"),
          pid
              + " ("
              + comm
              + ") S 1 "
              + pid
              + " "
              + pid
              + " 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 "
              + startTime
              + " 1000000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n");
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the process's {@code cgroup} file. */
  FakeProcTree cgroup(int pid, String text) {
    return file(pid + "/cgroup", text);
  }

  /**
   * Puts the process in a network namespace ({@code <pid>/ns/net}); pid 0 stands for {@code self},
   * the exporter.
   */
  FakeProcTree netNamespace(int pid, long inode) {
    try {
      Path ns =
          Files.createDirectories(
              root.resolve(pid == 0 ? "self" : Integer.toString(pid)).resolve("ns"));
      Files.deleteIfExists(ns.resolve("net"));
      Files.createSymbolicLink(ns.resolve("net"), Path.of("net:[" + inode + "]"));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A process that exited after /proc was listed: its directory is there, its files are not. */
  public FakeProcTree vanished(int pid) {
    try {
      remove(pid);
      Files.createDirectories(root.resolve(Integer.toString(pid)));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public FakeProcTree remove(int pid) {
    Path dir = root.resolve(Integer.toString(pid));
    if (!Files.exists(dir)) {
      return this;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code <root>/<relative>}, e.g. {@code net/tcp}. */
  public FakeProcTree file(String relative, String content) {
    try {
      Path file = root.resolve(relative);
      Files.createDirectories(file.getParent());
      Files.write(file, content.getBytes(StandardCharsets.US_ASCII));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
