package io.planetexporter.task.socketstat;

import io.planetexporter.api.Host;
import io.planetexporter.api.Inventory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** An inventory of exact addresses that otherwise answers as the empty one. */
public final class MapInventory implements Inventory {

  private final Map<InetAddress, Host> hosts = new HashMap<>();

  public MapInventory with(String ip, String domain, String hostgroup) {
    try {
      hosts.put(InetAddress.getByName(ip), new Host(domain, hostgroup));
      return this;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(ip, e);
    }
  }

  @Override
  public Optional<Host> lookup(InetAddress address) {
    Host host = hosts.get(address);
    return host != null ? Optional.of(host) : Inventory.empty().lookup(address);
  }

  @Override
  public int size() {
    return hosts.size();
  }
}
