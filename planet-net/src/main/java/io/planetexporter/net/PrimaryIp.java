package io.planetexporter.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Chooses the IP that stands for a network namespace, without sending a packet: the address of the
 * interface of the IPv4 default route ({@code route}), else of the IPv6 default route ({@code
 * ipv6_route}), else the first IPv4 address of an up non-loopback interface, else the first global
 * IPv6 address of one, else 127.0.0.1.
 *
 * <p>The host's identity applies it to {@code /proc/net} and Java's interfaces; socketstat to the
 * {@code /proc/<pid>/net} of each other namespace and the interfaces found there.
 */
public final class PrimaryIp {

  private static final Logger logger = Logger.getLogger(PrimaryIp.class.getName());
  private static final int RTF_UP = 0x1;
  private static final int RTF_REJECT = 0x200;

  private PrimaryIp() {}

  /**
   * @param net a directory holding the routing tables {@code route} and {@code ipv6_route} (either
   *     may be missing), such as {@code /proc/net}
   * @param interfaces the namespace's interfaces, in the kernel's index order
   */
  public static InetAddress select(Path net, List<NetInterface> interfaces) {
    Optional<InetAddress> found =
        defaultRouteInterface(net.resolve("route"), PrimaryIp::ipv4Default)
            .flatMap(name -> find(interfaces, name))
            .flatMap(NetInterface::firstIpv4);
    if (found.isEmpty()) {
      found =
          defaultRouteInterface(net.resolve("ipv6_route"), PrimaryIp::ipv6Default)
              .flatMap(name -> find(interfaces, name))
              .flatMap(NetInterface::firstGlobalIpv6);
    }
    if (found.isEmpty()) {
      found =
          candidates(interfaces).map(NetInterface::firstIpv4).flatMap(Optional::stream).findFirst();
    }
    if (found.isEmpty()) {
      found =
          candidates(interfaces)
              .map(NetInterface::firstGlobalIpv6)
              .flatMap(Optional::stream)
              .findFirst();
    }
    return found.orElseGet(PrimaryIp::loopbackIpv4);
  }

  private static Stream<NetInterface> candidates(List<NetInterface> all) {
    return all.stream().filter(nif -> nif.up() && !nif.loopback());
  }

  private static Optional<NetInterface> find(List<NetInterface> all, String name) {
    return all.stream().filter(nif -> nif.name().equals(name)).findFirst();
  }

  /** Reads one routing table line: returns [interface, metric] of a default route, or null. */
  @FunctionalInterface
  private interface RouteLine {
    String[] defaultRoute(String[] fields);
  }

  /** The interface of the default route with the lowest metric in the table, if any. */
  private static Optional<String> defaultRouteInterface(Path table, RouteLine parser) {
    List<String> lines;
    try {
      lines = Files.readAllLines(table, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      logger.log(Level.FINE, "cannot read routing table " + table, e);
      return Optional.empty();
    }
    String best = null;
    long bestMetric = Long.MAX_VALUE;
    for (String line : lines) {
      String[] route;
      try {
        route = parser.defaultRoute(line.trim().split("\\s+"));
      } catch (RuntimeException ignored) {
        continue; // header or malformed line
      }
      if (route != null && Long.parseLong(route[1]) < bestMetric) {
        best = route[0];
        bestMetric = Long.parseLong(route[1]);
      }
    }
    return Optional.ofNullable(best);
  }

  // Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT
  private static String[] ipv4Default(String[] f) {
    int flags = Integer.parseInt(f[3], 16);
    if (f[1].equals("00000000")
        && f[7].equals("00000000")
        && (flags & RTF_UP) != 0
        && (flags & RTF_REJECT) == 0) {
      return new String[] {f[0], Long.toString(Long.parseLong(f[6]))};
    }
    return null;
  }

  // dest dest_plen src src_plen next_hop metric refcnt use flags device (hex numbers)
  private static String[] ipv6Default(String[] f) {
    int flags = Integer.parseUnsignedInt(f[8], 16);
    if (f[0].equals("00000000000000000000000000000000")
        && f[1].equals("00")
        && (flags & RTF_UP) != 0
        && (flags & RTF_REJECT) == 0
        && !f[9].equals("lo")) {
      return new String[] {f[9], Long.toString(Long.parseUnsignedLong(f[5], 16))};
    }
    return null;
  }

  private static InetAddress loopbackIpv4() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
