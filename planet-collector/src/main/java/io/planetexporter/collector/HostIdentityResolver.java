package io.planetexporter.collector;

import io.planetexporter.api.HostIdentity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Finds out who this host is, without sending a packet: the primary IP is the address of the
 * interface of the IPv4 default route ({@code /proc/net/route}), else of the IPv6 default route
 * ({@code /proc/net/ipv6_route}), else the first IPv4 address of an up non-loopback interface, else
 * the first global IPv6 address of one, else 127.0.0.1.
 */
public final class HostIdentityResolver {

  private static final Logger logger = Logger.getLogger(HostIdentityResolver.class.getName());
  private static final int RTF_UP = 0x1;
  private static final int RTF_REJECT = 0x200;

  /** The host name as Java finds it; may fail on a host whose name does not resolve. */
  @FunctionalInterface
  interface HostnameLookup {
    String hostname() throws IOException;
  }

  private final Path procRoot;
  private final Supplier<List<NetInterface>> interfaces;
  private final HostnameLookup hostnameLookup;

  HostIdentityResolver(
      Path procRoot, Supplier<List<NetInterface>> interfaces, HostnameLookup hostnameLookup) {
    this.procRoot = procRoot;
    this.interfaces = interfaces;
    this.hostnameLookup = hostnameLookup;
  }

  /**
   * This host's identity.
   *
   * @param primaryIp the operator's override of the primary IP, if any
   */
  public static HostIdentity resolve(Optional<InetAddress> primaryIp) {
    return new HostIdentityResolver(
            Path.of("/proc"), NetInterface::system, () -> InetAddress.getLocalHost().getHostName())
        .identity(primaryIp);
  }

  HostIdentity identity(Optional<InetAddress> override) {
    List<NetInterface> all = interfaces.get();
    List<InetAddress> local = new ArrayList<>();
    all.forEach(nif -> local.addAll(nif.addresses()));
    InetAddress primary = override.orElseGet(() -> primaryIp(all));
    return new HostIdentity(hostname(), primary, new HashSet<>(local));
  }

  InetAddress primaryIp(List<NetInterface> all) {
    Optional<InetAddress> found =
        defaultRouteInterface(procRoot.resolve("net/route"), HostIdentityResolver::ipv4Default)
            .flatMap(name -> find(all, name))
            .flatMap(NetInterface::firstIpv4);
    if (found.isEmpty()) {
      found =
          defaultRouteInterface(
                  procRoot.resolve("net/ipv6_route"), HostIdentityResolver::ipv6Default)
              .flatMap(name -> find(all, name))
              .flatMap(NetInterface::firstGlobalIpv6);
    }
    if (found.isEmpty()) {
      found = candidates(all).map(NetInterface::firstIpv4).flatMap(Optional::stream).findFirst();
    }
    if (found.isEmpty()) {
      found =
          candidates(all).map(NetInterface::firstGlobalIpv6).flatMap(Optional::stream).findFirst();
    }
    return found.orElseGet(HostIdentityResolver::loopbackIpv4);
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

  /**
   * The kernel's host name, as the Go program's {@code os.Hostname()}; Java's name only when that
   * cannot be read, since Java's look-up may query DNS.
   */
  String hostname() {
    try {
      String name =
          Files.readString(procRoot.resolve("sys/kernel/hostname"), StandardCharsets.UTF_8).trim();
      if (!name.isEmpty()) {
        return name;
      }
    } catch (IOException e) {
      logger.log(Level.FINE, "cannot read the kernel's host name, asking Java", e);
    }
    try {
      String name = hostnameLookup.hostname();
      return name == null ? "" : name;
    } catch (IOException e) {
      logger.log(Level.WARNING, "cannot find the host name", e);
      return "";
    }
  }
}
