package io.planetexporter.task.socketstat.classify;

import static java.util.Objects.requireNonNull;

import io.planetexporter.net.IpAddress;
import io.planetexporter.task.socketstat.owner.ProcessInfo;
import io.planetexporter.task.socketstat.table.Protocol;

/**
 * A listening socket as classification leaves it, before naming.
 *
 * @param bind the address it is bound to
 * @param process its process, or null
 */
public record Listener(IpAddress bind, int port, Protocol protocol, ProcessInfo process) {

  public Listener {
    requireNonNull(bind, "bind");
    requireNonNull(protocol, "protocol");
  }
}
