package io.planetexporter.dist;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * Inputs far past the series budget, written to files as they stream out so the test JVM never
 * holds them: a darkstat page, an ebpf_exporter tcptop page and a proc root with a socket table.
 * Peers are 198.18.0.1 to 198.18.239.250, then fd00::1:0 upwards; they only appear in files. The
 * byte values are integers whose sums a double holds exactly, and the pages' sums are returned.
 */
final class HeavyInputs {

  /** The exporter's primary IP in these inputs; never one of the peers. */
  static final String LOCAL_IP = "198.19.255.254";

  private static final int IPV4_PEERS = 60_000;

  /**
   * A page and its totals.
   *
   * @param ingress bytes the page says came in from peers, summed
   * @param egress bytes the page says went out to peers, summed
   */
  record Page(Path file, long ingress, long egress) {}

  private HeavyInputs() {}

  /** The {@code i}-th peer. */
  static String peer(int i) {
    if (i < IPV4_PEERS) {
      return "198.18." + i / 250 + "." + (i % 250 + 1);
    }
    int v6 = i - IPV4_PEERS + 0x10000;
    return "fd00::" + Integer.toHexString(v6 >>> 16) + ":" + Integer.toHexString(v6 & 0xffff);
  }

  /**
   * darkstat's page with {@code hosts} remote hosts, each with {@code dir="in"} and {@code out}.
   */
  static Page darkstat(Path file, int hosts) throws IOException {
    return darkstat(file, hosts, ",mac=\"02:00:00:00:00:01\"");
  }

  /** darkstat's page as {@link #darkstat(Path, int)}, with these labels after {@code ip}. */
  static Page darkstat(Path file, int hosts, String moreLabels) throws IOException {
    long ingress = 0;
    long egress = 0;
    try (Writer out = writer(file)) {
      out.write("# HELP host_bytes_total Total number of bytes seen by host.\n");
      out.write("# TYPE host_bytes_total counter\n");
      for (int i = 0; i < hosts; i++) {
        long in = 1 + (i * 7_919L) % 100_000;
        long sent = 1 + (i * 104_729L) % 1_000_000;
        String labels = "interface=\"eth0\",ip=\"" + peer(i) + "\"" + moreLabels + ",dir=\"";
        // dir is the remote host's: what it took in is what we sent, egress.
        out.write("host_bytes_total{" + labels + "in\"} " + in + "\n");
        out.write("host_bytes_total{" + labels + "out\"} " + sent + "\n");
        egress += in;
        ingress += sent;
      }
    }
    return new Page(file, ingress, egress);
  }

  /**
   * tcptop's page of {@code lines} samples over {@code peers} peers, each family's lines together:
   * every peer is sent to in three rounds (three pids) and received from in two.
   */
  static Page ebpf(Path file, int lines, int peers) throws IOException {
    long ingress = 0;
    long egress = 0;
    int rounds = lines / peers;
    try (Writer out = writer(file)) {
      for (String family : new String[] {"ipv4_send", "ipv4_recv", "ipv6_send", "ipv6_recv"}) {
        boolean send = family.endsWith("send");
        boolean ipv4 = family.startsWith("ipv4");
        out.write("# TYPE ebpf_exporter_" + family + "_bytes counter\n");
        for (int round = 0; round < rounds; round++) {
          if ((round % 2 == 0) != send) {
            continue;
          }
          for (int i = ipv4 ? 0 : IPV4_PEERS; i < (ipv4 ? IPV4_PEERS : peers); i++) {
            long bytes = 1 + (i * 31L + round * 7_907L) % 50_000;
            out.write(
                String.format(
                    Locale.ROOT,
                    "ebpf_exporter_%s_bytes{daddr=\"%s\",dport=\"443\",lport=\"%d\",pid=\"%d\","
                        + "saddr=\"%s\"} %d\n",
                    family,
                    peer(i),
                    40_000 + i % 20_000,
                    1000 + round,
                    ipv4 ? LOCAL_IP : "fd00::fffe",
                    bytes));
            if (send) {
              egress += bytes;
            } else {
              ingress += bytes;
            }
          }
        }
      }
    }
    return new Page(file, ingress, egress);
  }

  /**
   * A proc root whose {@code net/tcp} has {@code peers} ESTABLISHED sockets from {@link #LOCAL_IP}
   * to as many distinct IPv4 peers on port 443 (198.18.0.0/15), held by four processes.
   */
  static Path procRoot(Path root, int peers) throws IOException {
    Path net = Files.createDirectories(root.resolve("net"));
    String header =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout"
            + " inode\n";
    try (Writer out = writer(net.resolve("tcp"))) {
      out.write(header);
      for (int i = 0; i < peers; i++) {
        int third = i / 250;
        out.write(
            String.format(
                Locale.ROOT,
                "%4d: %08X:%04X %08X:%04X 01 00000000:00000000 00:00000000 00000000  1000        0"
                    + " %d 1 0000000000000000 20 4 30 10 -1\n",
                i,
                kernelWord(198, 19, 255, 254),
                32768 + i % 28_000,
                kernelWord(198, 18 + third / 256, third % 256, i % 250 + 1),
                443,
                1_000_000 + i));
      }
    }
    for (String file : new String[] {"tcp6", "udp", "udp6"}) {
      Files.writeString(net.resolve(file), header);
    }
    Path sysctl = Files.createDirectories(root.resolve("sys/net/ipv4"));
    Files.writeString(sysctl.resolve("ip_local_port_range"), "32768\t60999\n");
    for (int owner = 0; owner < 4; owner++) {
      int pid = 1000 + owner;
      Path fd = Files.createDirectories(root.resolve(pid + "/fd"));
      Files.writeString(fd.resolveSibling("comm"), "client" + owner + "\n");
      Files.writeString(
          fd.resolveSibling("stat"),
          pid + " (client" + owner + ") S 1 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 4242 0 0\n");
      for (int i = owner; i < peers; i += 4) {
        Files.createSymbolicLink(
            fd.resolve(Integer.toString(3 + i / 4)), Path.of("socket:[" + (1_000_000 + i) + "]"));
      }
    }
    return root;
  }

  /** An arrayjson inventory of {@code entries} entries naming the peers; returns the file. */
  static Path inventory(Path file, int entries) throws IOException {
    return inventory(file, entries, "");
  }

  /**
   * An arrayjson inventory of {@code entries} entries naming the peers, {@code padding} in each
   * domain name; returns the file.
   */
  static Path inventory(Path file, int entries, String padding) throws IOException {
    try (Writer out = writer(file)) {
      out.write("[\n");
      for (int i = 0; i < entries; i++) {
        out.write(
            "{\"ip_address\":\""
                + peer(i)
                + "\",\"domain\":\"host"
                + i
                + padding
                + ".example\",\"hostgroup\":\"group"
                + i % 100
                + "\"}"
                + (i + 1 < entries ? ",\n" : "\n"));
      }
      out.write("]\n");
    }
    return file;
  }

  /**
   * Appends comment lines to a text-format page until it is exactly {@code bytes} long (it must be
   * shorter, by 100 bytes at least); returns the file.
   */
  static Path padded(Path file, long bytes) throws IOException {
    long missing = bytes - Files.size(file);
    try (Writer out =
        new BufferedWriter(
            Files.newBufferedWriter(file, US_ASCII, StandardOpenOption.APPEND), 1 << 16)) {
      String comment = "# " + "-".repeat(97) + "\n";
      for (; missing > 2 * comment.length(); missing -= comment.length()) {
        out.write(comment);
      }
      out.write("# " + "-".repeat((int) missing - 3) + "\n");
    }
    return file;
  }

  /**
   * A page of one darkstat sample, {@code bytes} long with its LF: one label value of nearly all.
   */
  static Path oneLine(Path file, long bytes) throws IOException {
    String head = "host_bytes_total{ip=\"198.18.0.1\",x=\"";
    String tail = "\"} 1\n";
    try (Writer out = writer(file)) {
      out.write(head);
      char[] block = new char[1 << 16];
      Arrays.fill(block, 'x');
      for (long left = bytes - head.length() - tail.length(); left > 0; left -= block.length) {
        out.write(block, 0, (int) Math.min(left, block.length));
      }
      out.write(tail);
    }
    return file;
  }

  /** An IPv4 address as a little-endian kernel prints it in /proc/net/tcp. */
  private static int kernelWord(int a, int b, int c, int d) {
    return d << 24 | c << 16 | b << 8 | a;
  }

  private static Writer writer(Path file) throws IOException {
    return new BufferedWriter(Files.newBufferedWriter(file, US_ASCII), 1 << 16);
  }
}
