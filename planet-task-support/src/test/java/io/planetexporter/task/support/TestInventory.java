package io.planetexporter.task.support;

import com.google.common.net.InetAddresses;
import io.planetexporter.api.Host;
import io.planetexporter.api.Inventory;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An inventory of exact addresses for tests, answering loopback as {@link Host#LOCALHOST} like
 * every inventory.
 *
 * <pre>{@code
 * Inventory inventory = TestInventory.of(Map.of("198.18.0.2", new Host("db1.example", "db")));
 * }</pre>
 */
public final class TestInventory implements Inventory {

  private final Map<InetAddress, Host> hosts = new HashMap<>();

  private TestInventory(Map<String, Host> hosts) {
    hosts.forEach((ip, host) -> this.hosts.put(InetAddresses.forString(ip), host));
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
}
