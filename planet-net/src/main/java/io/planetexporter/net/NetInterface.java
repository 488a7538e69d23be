package io.planetexporter.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A network interface as the choice of a primary IP needs it ({@link PrimaryIp}).
 *
 * @param name e.g. {@code eth0}
 * @param up whether it is up
 * @param loopback whether it is a loopback interface
 * @param addresses its addresses, IPv6 ones without scope
 */
public record NetInterface(String name, boolean up, boolean loopback, List<InetAddress> addresses) {

  private static final Logger logger = Logger.getLogger(NetInterface.class.getName());

  public NetInterface {
    addresses = List.copyOf(addresses);
  }

  /** The interfaces of this host, in the kernel's index order; none when they cannot be read. */
  public static List<NetInterface> system() {
    List<NetInterface> result = new ArrayList<>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        List<InetAddress> addresses = new ArrayList<>();
        for (InetAddress address : Collections.list(nif.getInetAddresses())) {
          // Drop the scope (%eth0) so that addresses compare and print as the kernel's do.
          addresses.add(InetAddress.getByAddress(address.getAddress()));
        }
        result.add(new NetInterface(nif.getName(), nif.isUp(), nif.isLoopback(), addresses));
      }
    } catch (SocketException | UnknownHostException e) {
      logger.log(Level.WARNING, "cannot list network interfaces", e);
    }
    return result;
  }

  public Optional<InetAddress> firstIpv4() {
    return addresses.stream().filter(a -> a instanceof Inet4Address).findFirst();
  }

  /** The first IPv6 address that is not loopback, link-local or multicast. */
  public Optional<InetAddress> firstGlobalIpv6() {
    return addresses.stream()
        .filter(a -> a instanceof Inet6Address)
        .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isMulticastAddress())
        .findFirst();
  }
}
