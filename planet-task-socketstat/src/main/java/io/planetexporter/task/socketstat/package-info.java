/**
 * The {@code socketstat} task and socketstat as a library.
 *
 * <p>Supported API (since 0.2): {@link io.planetexporter.task.socketstat.Socketstat} (read a host's
 * listeners, upstreams and downstreams, with byte counts, without the exporter), the values it
 * returns ({@link io.planetexporter.task.socketstat.HostDependencies} and its records), and {@link
 * io.planetexporter.task.socketstat.SocketstatTaskProvider} (the task, found by ServiceLoader).
 * Every other type here is package-private, and the sub-packages are internal (public only so that
 * socketstat's own packages reach each other): either may change in any release.
 *
 * <h2>Glossary</h2>
 *
 * <p>One word per concept; class names follow it.
 *
 * <dl>
 *   <dt>socket
 *   <dd>One row of the kernel's socket table, as either source reports it ({@code table.Socket}):
 *       protocol, addresses and ports, state, inode, cookie, and for TCP its {@code tcp_info}.
 *   <dt>connection
 *   <dd>A TCP socket followed across collections by its kernel cookie, from open to closed: what
 *       byte counts are kept for. A connection is live while the table lists it, closed once a
 *       destroy event announces it or it vanishes.
 *   <dt>peer
 *   <dd>The remote end of a socket: its address, and nothing else. A socket with a peer is
 *       <em>peered</em>; folding a peer ({@code metrics.EdgeFolding}, over planet-traffic's {@code
 *       PeerFolding}) serves its series as {@code remote_address="other"}.
 *   <dt>listener
 *   <dd>A listening socket: TCP in LISTEN, or bound unconnected UDP outside the ephemeral range.
 *       Classification leaves it as addresses and a process ({@code classify.Listener}); named, it
 *       is one {@code planet_server_process} series ({@code classify.ListenerLabels}). The public
 *       {@link io.planetexporter.task.socketstat.HostDependencies.Listener} is that series as a
 *       library value.
 *   <dt>edge
 *   <dd>A dependency between a local process and a peer, in one direction: upstream (this host
 *       connected) or downstream (the peer connected to a listener of this host). Its connections
 *       share it and their byte counts add up under it; it is one {@code planet_upstream} or {@code
 *       planet_downstream} series ({@code classify.Edge}: its direction and its {@code
 *       classify.EdgeLabels}, the label values). Before naming, classification leaves it as
 *       addresses, port, protocol and process ({@code classify.UnnamedEdge}); many sockets share
 *       one. The public API, older than this glossary, calls an edge a <em>dependency</em> ({@link
 *       io.planetexporter.task.socketstat.HostDependencies.Dependency}, and {@link
 *       io.planetexporter.task.socketstat.HostDependencies} for the edges and listeners of a host,
 *       {@code classify.EdgesAndListeners} inside); the names stay for compatibility.
 *   <dt>workload
 *   <dd>What a process runs as, from its cgroup ({@code owner.Workload}): its container (the
 *       runtime whose cgroup path names it, {@code owner.ContainerRuntime}, and its id) or its
 *       systemd unit; and the container's workload name ({@code shop/checkout}), read from the
 *       runtime's state files by {@code runtime.WorkloadNames}. The {@code workload} label is that
 *       name. The <em>owner</em> of an address is the workload (else the host) of the namespace
 *       that holds it: one {@code planet_address_info} series ({@code metrics.AddressOwner}).
 *   <dt>byte count
 *   <dd>The one family of names for byte accounting (package {@code bytes}): the payload bytes of a
 *       connection or an edge, egress (sent by this host) and ingress (received), no SYN or FIN
 *       ({@code ByteCount}; the public {@link
 *       io.planetexporter.task.socketstat.HostDependencies.ByteCount} is the same count, as sent
 *       and received); how closed connections are counted ({@code ByteCountMode}); every edge's
 *       count since the start ({@code ByteCountLedger}); one collection's counting ({@code
 *       ByteCounting}); a TCP socket's byte count from its kernel counters ({@code TcpByteCount}).
 *       The kernel's own counters, in sequence space, are {@code tcp_info} ({@code table.TcpInfo}),
 *       not a byte count. A <em>byte counter</em> is a served series ({@code
 *       planet_upstream_bytes_total}).
 *   <dt>health
 *   <dd>How well an edge works (package {@code health}): the connects of its connections that never
 *       became established and why ({@code ConnectFailure}: refused, timeout, other), the payload
 *       bytes this host sent again on it, and the mean smoothed RTT of its live connections ({@code
 *       EdgeHealth}); and of a listener, its accept queue ({@code AcceptQueue}). An edge's health
 *       is counted with its byte count, by the same ledger and rules; it is served as {@code
 *       planet_upstream_connect_failures_total}, {@code *_retransmitted_bytes_total}, {@code
 *       *_rtt_seconds} and {@code planet_server_accept_queue}.
 * </dl>
 */
package io.planetexporter.task.socketstat;
