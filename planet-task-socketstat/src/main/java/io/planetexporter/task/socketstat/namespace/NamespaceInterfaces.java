package io.planetexporter.task.socketstat.namespace;

import io.planetexporter.net.NetInterface;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The interfaces of another network namespace, as far as its primary IP needs them, read from the
 * text files of its {@code /proc/<pid>/net} (Java's {@code NetworkInterface} sees only the
 * namespace of the JVM).
 *
 * <ul>
 *   <li>IPv4 addresses are the {@code /32 host LOCAL} leaves of {@code fib_trie}; each belongs to
 *       the interface of the most specific connected route in {@code route} that contains it (an
 *       address with none, such as a {@code /32} one, goes to an interface named ""). On each
 *       interface, an address in the subnet of the IPv4 default gateway comes first, as the kernel
 *       picks it as the source of the default route.
 *   <li>IPv6 addresses and interface indexes come from {@code if_inet6}.
 *   <li>Interfaces are in index order where {@code if_inet6} tells it, then in the order of {@code
 *       route}. Every interface found is taken as up: a down interface has no routes.
 * </ul>
 */
public final class NamespaceInterfaces {

  private static final int RTF_UP = 0x1;
  private static final int RTF_GATEWAY = 0x2;

  private final boolean swapWords;
  private final Map<String, Interface> byName = new LinkedHashMap<>();

  private NamespaceInterfaces(ByteOrder byteOrder) {
    this.swapWords = byteOrder == ByteOrder.LITTLE_ENDIAN;
  }

  /**
   * @param net the namespace's {@code /proc/<pid>/net}
   * @throws NoSuchFileException when the process has exited
   * @throws IOException when a file cannot be read or does not parse
   */
  public static List<NetInterface> read(Path net) throws IOException {
    return read(net, ByteOrder.nativeOrder());
  }

  /** As {@link #read(Path)}, for a kernel that writes IPv4 words in {@code byteOrder}. */
  public static List<NetInterface> read(Path net, ByteOrder byteOrder) throws IOException {
    try {
      return new NamespaceInterfaces(byteOrder).parse(net);
    } catch (IllegalArgumentException e) {
      throw new IOException("unparsable interfaces or routes under " + net, e);
    }
  }

  private List<NetInterface> parse(Path net) throws IOException {
    List<String[]> inet6;
    try {
      inet6 = lines(net.resolve("if_inet6"));
    } catch (NoSuchFileException ignored) {
      inet6 = List.of(); // a kernel without IPv6
    }
    for (String[] f : inet6) {
      if (f.length >= 6 && f[0].length() == 32) {
        Interface nif = named(f[5]);
        nif.index = Integer.parseInt(f[1], 16);
        nif.ipv6.add(address(hexBytes(f[0])));
      }
    }
    List<Route> connected = new ArrayList<>();
    int gateway = 0;
    boolean hasGateway = false;
    for (String[] f : lines(net.resolve("route"))) {
      if (f.length < 8 || f[0].equals("Iface")) {
        continue;
      }
      int flags = Integer.parseInt(f[3], 16);
      if ((flags & RTF_UP) == 0) {
        continue;
      }
      int destination = word(f[1]);
      int mask = word(f[7]);
      if ((flags & RTF_GATEWAY) != 0) {
        if (mask == 0 && !hasGateway) {
          gateway = word(f[2]);
          hasGateway = true;
        }
      } else {
        named(f[0]);
        connected.add(new Route(f[0], destination, mask));
      }
    }
    for (int local : localIpv4(net.resolve("fib_trie"))) {
      Route route = mostSpecific(connected, local);
      Interface nif = named(route == null ? "" : route.device);
      boolean preferred = hasGateway && route != null && route.contains(gateway);
      (preferred ? nif.preferredIpv4 : nif.ipv4).add(local);
    }
    List<Interface> ordered = new ArrayList<>(byName.values());
    ordered.sort(Comparator.comparingInt(nif -> nif.index < 0 ? Integer.MAX_VALUE : nif.index));
    List<NetInterface> result = new ArrayList<>();
    for (Interface nif : ordered) {
      List<InetAddress> addresses = new ArrayList<>();
      for (int ip : nif.preferredIpv4) {
        addresses.add(ipv4(ip));
      }
      for (int ip : nif.ipv4) {
        addresses.add(ipv4(ip));
      }
      addresses.addAll(nif.ipv6);
      result.add(new NetInterface(nif.name, true, nif.name.equals("lo"), addresses));
    }
    return result;
  }

  private Interface named(String name) {
    return byName.computeIfAbsent(name, Interface::new);
  }

  private static Route mostSpecific(List<Route> routes, int address) {
    Route best = null;
    for (Route route : routes) {
      if (route.contains(address)
          && (best == null || Integer.bitCount(route.mask) > Integer.bitCount(best.mask))) {
        best = route;
      }
    }
    return best;
  }

  /** The non-loopback {@code /32 host LOCAL} leaves, once each, in trie order. */
  private static Set<Integer> localIpv4(Path fibTrie) throws IOException {
    Set<Integer> locals = new LinkedHashSet<>();
    String leaf = null;
    for (String line : Files.readAllLines(fibTrie, StandardCharsets.US_ASCII)) {
      String trimmed = line.trim();
      if (trimmed.startsWith("|-- ")) {
        leaf = trimmed.substring(4);
      } else if (leaf != null && trimmed.equals("/32 host LOCAL")) {
        int address = dottedQuad(leaf);
        if (address >>> 24 != 127) {
          locals.add(address);
        }
      } else if (!trimmed.startsWith("/")) {
        leaf = null;
      }
    }
    return locals;
  }

  private static int dottedQuad(String text) {
    String[] parts = text.split("\\.");
    if (parts.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + text);
    }
    int address = 0;
    for (String part : parts) {
      address = address << 8 | Integer.parseInt(part);
    }
    return address;
  }

  /** A word of {@code route} as a big-endian address. */
  private int word(String hex) {
    int value = Integer.parseUnsignedInt(hex, 16);
    return swapWords ? Integer.reverseBytes(value) : value;
  }

  private static List<String[]> lines(Path file) throws IOException {
    List<String[]> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
      String trimmed = line.trim();
      if (!trimmed.isEmpty()) {
        lines.add(trimmed.split("\\s+"));
      }
    }
    return lines;
  }

  private static byte[] hexBytes(String hex) {
    byte[] bytes = new byte[hex.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
    }
    return bytes;
  }

  private static InetAddress ipv4(int address) {
    return address(
        new byte[] {
          (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address
        });
  }

  private static InetAddress address(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e); // only for a wrong length, which callers rule out
    }
  }

  private record Route(String device, int destination, int mask) {
    boolean contains(int address) {
      return (address & mask) == destination;
    }
  }

  private static final class Interface {
    final String name;
    int index = -1;
    final List<Integer> preferredIpv4 = new ArrayList<>();
    final List<Integer> ipv4 = new ArrayList<>();
    final List<InetAddress> ipv6 = new ArrayList<>();

    Interface(String name) {
      this.name = name;
    }
  }
}
