package io.planetexporter.api.testing;

import io.planetexporter.api.Host;
import io.planetexporter.api.Inventory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An inventory of exact addresses for tests, answering loopback as {@link Host#LOCALHOST} unless it
 * holds an entry for it, as every inventory does.
 *
 * <pre>{@code
 * Inventory inventory = TestInventory.of(Map.of("198.18.0.2", new Host("db1.example", "db")));
 * }</pre>
 */
public final class TestInventory implements Inventory {

  // A literal the JDK reads without a DNS query: dotted IPv4, or anything with a colon (IPv6).
  private static final Pattern LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  private final Map<InetAddress, Host> hosts = new HashMap<>();

  private TestInventory(Map<String, Host> hosts) {
    hosts.forEach((ip, host) -> this.hosts.put(address(ip), host));
  }

  /** Keys are IP literals. */
  public static TestInventory of(Map<String, Host> hosts) {
    return new TestInventory(hosts);
  }

  @Override
  public Optional<Host> lookup(InetAddress address) {
    Host host = hosts.get(address);
    if (host == null && address.isLoopbackAddress()) {
      return Optional.of(Host.LOCALHOST);
    }
    return Optional.ofNullable(host);
  }

  @Override
  public int size() {
    return hosts.size();
  }

  /** The address of an IP literal; never a DNS query. */
  static InetAddress address(String literal) {
    if (!LITERAL.matcher(literal).matches()) {
      throw new IllegalArgumentException("not an IP literal: \"" + literal + "\"");
    }
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: \"" + literal + "\"", e);
    }
  }
}
