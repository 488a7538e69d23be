package io.planetexporter.task.socketstat;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Supported API: what one {@link Socketstat#read()} found on the host, as plain values. The same
 * dependencies the {@code socketstat} task serves as {@code planet_server_process}, {@code
 * planet_upstream} and {@code planet_downstream}, with the payload bytes of {@code
 * planet_upstream_bytes_total} and {@code planet_downstream_bytes_total}; each list sorted, each
 * element once. Names follow the task's rules: an address the inventory names is shown by its
 * domain, else as its IP; a loopback peer is {@code localhost}; a loopback or wildcard local
 * address stands for the host's primary IP. A text that does not apply is {@code ""}, never null.
 *
 * @param listeners the host's listening sockets: TCP in LISTEN, bound unconnected UDP on a port
 *     outside the ephemeral range
 * @param upstreams services this host connected to
 * @param downstreams peers connected to a listener of this host
 * @since 0.2
 */
public record HostDependencies(
    List<Listener> listeners, List<Dependency> upstreams, List<Dependency> downstreams) {

  public HostDependencies {
    listeners = List.copyOf(listeners);
    upstreams = List.copyOf(upstreams);
    downstreams = List.copyOf(downstreams);
  }

  /**
   * A listening socket and the process that owns it.
   *
   * @param hostgroup the inventory hostgroup of the bound address, or {@code ""}
   * @param bind {@code ip:port}, IPv6 in brackets ({@code [::]:53})
   * @param process the owner's name ({@code comm}), or {@code ""} when it could not be resolved
   * @param protocol {@code tcp} or {@code udp}
   * @param container the owner's container id (12 hex digits), or {@code ""}
   * @param unit the owner's systemd unit, or {@code ""}
   * @param workload the workload of the owner's container ({@code shop/checkout}, a Compose {@code
   *     shop/web}, a container's name), or {@code ""} (since 0.3)
   * @since 0.2
   */
  public record Listener(
      String hostgroup,
      String bind,
      String process,
      int port,
      String protocol,
      String container,
      String unit,
      String workload) {

    public Listener {
      requireNonNull(hostgroup, "hostgroup");
      requireNonNull(bind, "bind");
      requireNonNull(process, "process");
      requireNonNull(protocol, "protocol");
      requireNonNull(container, "container");
      requireNonNull(unit, "unit");
      requireNonNull(workload, "workload");
    }

    /**
     * A listener without workload, as 0.2 made it.
     *
     * @deprecated since 0.3, use the constructor with {@code workload}; kept so that code compiled
     *     against 0.2 still links
     */
    @Deprecated(since = "0.3")
    public Listener(
        String hostgroup,
        String bind,
        String process,
        int port,
        String protocol,
        String container,
        String unit) {
      this(hostgroup, bind, process, port, protocol, container, unit, "");
    }
  }

  /**
   * A dependency between a local process and a peer: all the connections with these values.
   *
   * @param localAddress the inventory domain of the local address, else its IP (the primary IP for
   *     loopback and wildcard addresses)
   * @param localHostgroup the inventory hostgroup of the local address, or {@code ""}
   * @param remoteAddress the inventory domain of the peer, else its IP; {@code localhost} for a
   *     loopback peer
   * @param remoteHostgroup the inventory hostgroup of the peer, {@code localhost} for a loopback
   *     peer, or {@code ""}
   * @param port an upstream's remote port (the service used), a downstream's local port (the
   *     service offered)
   * @param protocol {@code tcp} or {@code udp}
   * @param process the local process's name ({@code comm}): a downstream's own or else its
   *     listener's; {@code ""} when it could not be resolved (an upstream in TIME_WAIT, say)
   * @param container the local process's container id (12 hex digits), or {@code ""}
   * @param unit the local process's systemd unit, or {@code ""}
   * @param workload the workload of the local process's container, or {@code ""} (since 0.3)
   * @param connected whether a connection of it was open at this read; {@code false} for one known
   *     only from the byte counters of connections that closed earlier (kept for the edge
   *     retention)
   * @param bytes the payload bytes of its TCP connections: those open now from their start, and
   *     those that closed while the {@link Socketstat} was reading (for the edge retention); empty
   *     without byte counters (UDP, the {@code proc} source, counting off)
   * @since 0.2
   */
  public record Dependency(
      String localAddress,
      String localHostgroup,
      String remoteAddress,
      String remoteHostgroup,
      int port,
      String protocol,
      String process,
      String container,
      String unit,
      String workload,
      boolean connected,
      Optional<ByteCount> bytes) {

    /**
     * A dependency without workload, as 0.2 made it.
     *
     * @deprecated since 0.3, use the constructor with {@code workload}; kept so that code compiled
     *     against 0.2 still links
     */
    @Deprecated(since = "0.3")
    public Dependency(
        String localAddress,
        String localHostgroup,
        String remoteAddress,
        String remoteHostgroup,
        int port,
        String protocol,
        String process,
        String container,
        String unit,
        boolean connected,
        Optional<ByteCount> bytes) {
      this(
          localAddress,
          localHostgroup,
          remoteAddress,
          remoteHostgroup,
          port,
          protocol,
          process,
          container,
          unit,
          "",
          connected,
          bytes);
    }

    public Dependency {
      requireNonNull(localAddress, "localAddress");
      requireNonNull(localHostgroup, "localHostgroup");
      requireNonNull(remoteAddress, "remoteAddress");
      requireNonNull(remoteHostgroup, "remoteHostgroup");
      requireNonNull(protocol, "protocol");
      requireNonNull(process, "process");
      requireNonNull(container, "container");
      requireNonNull(unit, "unit");
      requireNonNull(workload, "workload");
      requireNonNull(bytes, "bytes");
    }
  }

  /**
   * Payload bytes (no headers, no SYN or FIN), from this host's point of view.
   *
   * @param sent sent by this host (the {@code egress} direction of the metrics)
   * @param received received by this host ({@code ingress})
   * @since 0.2
   */
  public record ByteCount(long sent, long received) {

    public ByteCount {
      if (sent < 0 || received < 0) {
        throw new IllegalArgumentException("negative bytes: " + sent + ", " + received);
      }
    }
  }
}
