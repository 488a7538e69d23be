package io.planetexporter.collector;

import io.planetexporter.api.HostIdentity;
import io.planetexporter.net.IpAddress;
import io.planetexporter.net.NetInterface;
import io.planetexporter.net.PrimaryIp;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Finds out who this host is, without sending a packet: its kernel's host name, every address of
 * its interfaces, and the primary IP chosen by {@link PrimaryIp} from {@code /proc/net}'s routing
 * tables.
 */
public final class HostIdentityResolver {

  private static final Logger logger = Logger.getLogger(HostIdentityResolver.class.getName());

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
  public static HostIdentity resolve(Optional<IpAddress> primaryIp) {
    return new HostIdentityResolver(
            Path.of("/proc"), NetInterface::system, () -> InetAddress.getLocalHost().getHostName())
        .identity(primaryIp);
  }

  HostIdentity identity(Optional<IpAddress> override) {
    List<NetInterface> all = interfaces.get();
    Set<IpAddress> local = new HashSet<>();
    all.forEach(nif -> nif.addresses().forEach(address -> local.add(IpAddress.of(address))));
    IpAddress primary =
        override.orElseGet(() -> IpAddress.of(PrimaryIp.select(procRoot.resolve("net"), all)));
    return new HostIdentity(hostname(), primary, local);
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
