package io.planetexporter.task.socketstat.owner;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.function.LongConsumer;

/**
 * Reads the socket inodes among a process's open files with {@code getdents64} and {@code
 * readlinkat} on its open {@code fd} directory, through JNA's direct mapping of the C library (no C
 * code of ours).
 *
 * <p>Why: a walk reads every fd of the host, some 80,000 at 40,000 connections. The JDK's {@code
 * Files.readSymbolicLink} resolves {@code /proc/<pid>/fd/<n>} from the root for each (the kernel's
 * path walk through procfs, most of the system time of a walk) and makes a path, a byte array and a
 * string per fd; here each fd is one {@code readlinkat} relative to the open directory, and no
 * object (BENCHMARKS.md, "fd walk").
 *
 * <p>Unavailable (not 64-bit Linux, or the C library lacks a function): {@link ProcFsProcessSource}
 * reads through the JDK instead.
 */
final class FdLinks {

  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 0x80000;
  private static final int EPERM = 1;
  private static final int ENOENT = 2;
  private static final int ESRCH = 3;
  private static final int EACCES = 13;

  /** {@code d_type} of a symbolic link: every entry of a fd directory but "." and "..". */
  private static final byte DT_LNK = 10;

  /** Offsets in {@code struct linux_dirent64}: ino (8), off (8), reclen (2), type (1), name. */
  private static final int RECORD_LENGTH = 16;

  private static final int TYPE = 18;
  private static final int NAME = 19;

  private static final int DIRENTS = 32 * 1024;

  /** "socket:[" and up to 20 digits and "]"; a longer target is not a socket's. */
  private static final int LINK = 32;

  private static final byte[] SOCKET_PREFIX = {'s', 'o', 'c', 'k', 'e', 't', ':', '['};

  private static final boolean BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

  private static final Throwable UNAVAILABLE = register();

  /** Each reading thread's native buffers and their copies. */
  private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

  private FdLinks() {}

  private static Throwable register() {
    try {
      if (!Platform.isLinux() || Native.SIZE_T_SIZE != 8) {
        return new UnsupportedOperationException("needs 64-bit Linux");
      }
      Native.register(FdLinks.class, Platform.C_LIBRARY_NAME);
      return null;
    } catch (LinkageError e) {
      return e;
    }
  }

  /** Whether this JVM reads fds here; else through the JDK. */
  static boolean available() {
    return UNAVAILABLE == null;
  }

  /**
   * Gives the inode of each socket among the links in {@code directory} (a {@code /proc/<pid>/fd}).
   *
   * @throws NoSuchFileException when the directory is gone (the process exited)
   * @throws AccessDeniedException when it may not be read
   */
  static void socketInodes(String directory, LongConsumer inodes) throws IOException {
    int fd;
    try {
      fd = open(directory, O_RDONLY | O_CLOEXEC);
    } catch (LastErrorException e) {
      throw failure(directory, e);
    }
    try {
      Buffers buffers = BUFFERS.get();
      long dirents = Pointer.nativeValue(buffers.dirents);
      long link = Pointer.nativeValue(buffers.link);
      while (true) {
        int length = (int) getdents64(fd, dirents, DIRENTS);
        if (length <= 0) {
          return;
        }
        buffers.dirents.read(0, buffers.direntCopy, 0, length);
        byte[] entries = buffers.direntCopy;
        for (int at = 0; at < length; at += unsignedShort(entries, at + RECORD_LENGTH)) {
          if (entries[at + TYPE] != DT_LNK) {
            continue;
          }
          long target;
          try {
            target = readlinkat(fd, dirents + at + NAME, link, LINK);
          } catch (LastErrorException e) {
            if (e.getErrorCode() == ENOENT) {
              continue; // closed since the directory was listed
            }
            throw failure(directory, e);
          }
          if (target >= LINK) {
            continue; // maybe cut short: no socket's
          }
          buffers.link.read(0, buffers.linkCopy, 0, (int) target);
          long inode = socketInode(buffers.linkCopy, (int) target);
          if (inode > 0) {
            inodes.accept(inode);
          }
        }
      }
    } catch (LastErrorException e) {
      throw failure(directory, e);
    } finally {
      close(fd);
    }
  }

  /** The inode of a link target {@code socket:[<inode>]}, else 0. */
  static long socketInode(byte[] target, int length) {
    if (length <= SOCKET_PREFIX.length + 1 || target[length - 1] != ']') {
      return 0;
    }
    for (int i = 0; i < SOCKET_PREFIX.length; i++) {
      if (target[i] != SOCKET_PREFIX[i]) {
        return 0;
      }
    }
    long inode = 0;
    for (int i = SOCKET_PREFIX.length; i < length - 1; i++) {
      int digit = target[i] - '0';
      if (digit < 0 || digit > 9) {
        return 0;
      }
      inode = inode * 10 + digit;
    }
    return inode;
  }

  /** A {@code u16} of {@code struct linux_dirent64}, in the host's byte order. */
  private static int unsignedShort(byte[] in, int at) {
    return BIG_ENDIAN
        ? (in[at] & 0xff) << 8 | (in[at + 1] & 0xff)
        : (in[at] & 0xff) | (in[at + 1] & 0xff) << 8;
  }

  private static IOException failure(String directory, LastErrorException e) {
    return switch (e.getErrorCode()) {
      case ENOENT, ESRCH -> new NoSuchFileException(directory);
      case EACCES, EPERM -> new AccessDeniedException(directory);
      default -> new IOException("cannot read " + directory + ": " + e.getMessage(), e);
    };
  }

  /** The native buffers of one thread, and arrays to read them into in one call each. */
  private static final class Buffers {
    final Memory dirents = new Memory(DIRENTS);
    final Memory link = new Memory(LINK);
    final byte[] direntCopy = new byte[DIRENTS];
    final byte[] linkCopy = new byte[LINK];
  }

  private static native int open(String path, int flags) throws LastErrorException;

  private static native int close(int fd);

  private static native long getdents64(int fd, long buffer, long size) throws LastErrorException;

  private static native long readlinkat(int directory, long path, long buffer, long size)
      throws LastErrorException;
}
