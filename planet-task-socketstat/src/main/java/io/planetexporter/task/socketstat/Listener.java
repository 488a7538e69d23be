package io.planetexporter.task.socketstat;

import static java.util.Objects.requireNonNull;

import io.planetexporter.net.IpAddress;

/**
 * A listening socket as classification leaves it, before naming.
 *
 * @param bind the address it is bound to
 * @param process its process, or null
 */
record Listener(IpAddress bind, int port, Protocol protocol, ProcessInfo process) {

  Listener {
    requireNonNull(bind, "bind");
    requireNonNull(protocol, "protocol");
  }
}
