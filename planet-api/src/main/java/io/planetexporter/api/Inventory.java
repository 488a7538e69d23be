package io.planetexporter.api;

import io.planetexporter.net.IpAddress;
import java.net.InetAddress;
import java.util.Optional;

/**
 * An immutable map from IP address to {@link Host}, as loaded by an inventory task.
 *
 * <p>Tasks read the inventory in force through {@link TaskContext#inventory()} once per run and use
 * that object for the whole run:
 *
 * <pre>{@code
 * Inventory inventory = context.inventory();
 * String group = inventory.lookup(peer).map(Host::hostgroup).orElse("");
 * }</pre>
 *
 * <p>Implementations answer IPv4-mapped IPv6 addresses as IPv4 and, unless they hold an entry for
 * it, a loopback address as {@link Host#LOCALHOST}.
 */
public interface Inventory {

  /** The host the address belongs to, or empty when the inventory does not know it. */
  Optional<Host> lookup(InetAddress address);

  /**
   * As {@link #lookup(InetAddress)}, for an address held as an {@link IpAddress}, as tasks that
   * read the socket table hold it. Inventories keyed by {@code IpAddress} answer it without a
   * conversion.
   *
   * @since 0.2
   */
  default Optional<Host> lookup(IpAddress address) {
    return lookup(address.toInetAddress());
  }

  /** Number of entries (addresses and prefixes) loaded. */
  int size();

  /** The inventory in force when no inventory task runs: it knows only loopback. */
  static Inventory empty() {
    return EmptyInventory.INSTANCE;
  }
}
