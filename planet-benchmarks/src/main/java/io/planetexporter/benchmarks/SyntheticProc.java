package io.planetexporter.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes proc trees and socket tables in the kernel's format, for benchmarks that need more
 * distinct peers than loopback can give: {@code count} ESTABLISHED IPv4 sockets from 198.18.255.1
 * to {@code count} distinct peers 198.18.a.b on port 443 (addresses only written to files, never
 * used on the network), owned by a few fake processes.
 */
public final class SyntheticProc {
  /** Where the inodes of the synthetic sockets start. */
  static final long FIRST_INODE = 1_000_000;

  private static final String TCP_HEADER =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout"
          + " inode                                                     \n";

  /** Kernel lines of /proc/net/tcp are padded to 149 characters plus the newline. */
  private static final int TCP_LINE_WIDTH = 149;

  private static final int OWNERS = 4;

  private SyntheticProc() {}

  /** A whole {@code /proc/net/tcp} with {@code count} established sockets, as bytes. */
  public static byte[] tcpTable(int count) {
    StringBuilder out = new StringBuilder(TCP_HEADER.length() + count * (TCP_LINE_WIDTH + 1));
    out.append(TCP_HEADER);
    for (int i = 0; i < count; i++) {
      String line =
          String.format(
              Locale.ROOT,
              "%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08X %08X %5d %8d %d %d %016x %d %d %d %d"
                  + " %d",
              i,
              kernelWord(198, 18, 255, 1),
              32768 + i % 28_000,
              kernelWord(198, 18, i / 250 % 250, i % 250 + 1),
              443,
              1,
              0,
              0,
              0,
              0,
              0,
              1000,
              0,
              FIRST_INODE + i,
              1,
              0L,
              20,
              4,
              30,
              10,
              -1);
      out.append(String.format(Locale.ROOT, "%-" + TCP_LINE_WIDTH + "s\n", line));
    }
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** An IPv4 address as a little-endian kernel prints it: the in-memory word, %08X. */
  private static int kernelWord(int a, int b, int c, int d) {
    return d << 24 | c << 16 | b << 8 | a;
  }

  /**
   * Writes a proc root under {@code root}: {@code net/tcp} from {@link #tcpTable}, empty {@code
   * tcp6}, {@code udp}, {@code udp6}, the port range, and {@value #OWNERS} processes holding the
   * sockets through {@code fd/} symlinks, with {@code comm} and {@code stat}.
   */
  public static Path writeTree(Path root, int count) throws IOException {
    Path net = Files.createDirectories(root.resolve("net"));
    Files.write(net.resolve("tcp"), tcpTable(count));
    for (String file : new String[] {"tcp6", "udp", "udp6"}) {
      Files.writeString(net.resolve(file), header(file));
    }
    Path sysctl = Files.createDirectories(root.resolve("sys/net/ipv4"));
    Files.writeString(sysctl.resolve("ip_local_port_range"), "32768\t60999\n");
    for (int owner = 0; owner < OWNERS; owner++) {
      int pid = 1000 + owner;
      Path dir = Files.createDirectories(root.resolve(pid + "/fd"));
      Files.writeString(dir.resolveSibling("comm"), "client" + owner + "\n");
      Files.writeString(
          dir.resolveSibling("stat"),
          pid
              + " (client"
              + owner
              + ") S 1 "
              + pid
              + " "
              + pid
              + " 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 4242 0 0\n");
      for (int i = owner; i < count; i += OWNERS) {
        Files.createSymbolicLink(
            dir.resolve(Integer.toString(3 + i / OWNERS)),
            Path.of("socket:[" + (FIRST_INODE + i) + "]"));
      }
    }
    return root;
  }

  private static String header(String file) {
    return !file.endsWith("6")
        ? TCP_HEADER
        : "  sl  local_address                         remote_address                        st"
            + " tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
  }
}
