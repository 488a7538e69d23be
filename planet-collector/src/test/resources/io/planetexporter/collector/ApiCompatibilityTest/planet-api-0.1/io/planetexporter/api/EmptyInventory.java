package io.planetexporter.api;

import java.net.InetAddress;
import java.util.Optional;

/** Knows no host but loopback. */
enum EmptyInventory implements Inventory {
  INSTANCE;

  @Override
  public Optional<Host> lookup(InetAddress address) {
    return address.isLoopbackAddress() ? Optional.of(Host.LOCALHOST) : Optional.empty();
  }

  @Override
  public int size() {
    return 0;
  }
}
