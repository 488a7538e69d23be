package io.planetexporter.task.socketstat;

import static java.util.Objects.requireNonNull;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.GoDuration;
import io.planetexporter.api.HostIdentity;
import io.planetexporter.api.Inventory;
import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskContext;
import io.planetexporter.net.IpAddress;
import io.planetexporter.net.PrimaryIp;
import io.planetexporter.task.socketstat.HostDependencies.Dependency;
import io.planetexporter.task.socketstat.HostDependencies.Listener;
import io.planetexporter.task.socketstat.bytes.ByteCount;
import io.planetexporter.task.socketstat.classify.Direction;
import io.planetexporter.task.socketstat.classify.Edge;
import io.planetexporter.task.socketstat.classify.EdgeLabels;
import io.planetexporter.task.socketstat.classify.EdgesAndListeners;
import io.planetexporter.task.socketstat.classify.ListenerLabels;
import io.planetexporter.task.socketstat.metrics.SocketstatResult;
import io.planetexporter.task.socketstat.namespace.NamespaceInterfaces;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Supported API: socketstat as a library. Reads the host's socket table as the {@code socketstat}
 * task does and returns its listeners, upstreams and downstreams, with byte counts where the kernel
 * gives them, as plain values: no exporter, scheduler or Prometheus type.
 *
 * <pre>{@code
 * try (Socketstat socketstat = Socketstat.builder().namespaces(Socketstat.Namespaces.OWN).build()) {
 *   HostDependencies now = socketstat.read();
 *   for (HostDependencies.Dependency upstream : now.upstreams()) {
 *     System.out.println(upstream.process() + " -> " + upstream.remoteAddress() + ":"
 *         + upstream.port() + " " + upstream.bytes().map(b -> b.sent() + " bytes sent").orElse(""));
 *   }
 * }
 * }</pre>
 *
 * <p>Each {@link #read()} reads the table anew; the byte counts add up over the reads of one
 * instance (keep it and read again, as the task does every interval). Finding the owners of other
 * users' sockets, and the other network namespaces, needs root or {@code CAP_SYS_PTRACE}, as for
 * the exporter; what cannot be read is left out, never an error.
 *
 * @since 0.2
 */
public final class Socketstat implements AutoCloseable {

  /** Unused by the library (the caller decides when to read), but every task has one. */
  private static final Duration INTERVAL = Duration.ofSeconds(7);

  private final SocketstatTask task;

  private Socketstat(SocketstatTask task) {
    this.task = task;
  }

  /** Options with the task's defaults: {@code /proc}, source auto, every namespace, bytes on. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads the socket table now. One read at a time: concurrent calls wait for each other.
   *
   * @throws IOException when no socket table can be read at all
   */
  public synchronized HostDependencies read() throws IOException {
    SocketstatResult result = task.collect();
    EdgesAndListeners dependencies = result.dependencies();
    return new HostDependencies(
        dependencies.listeners().stream().map(Socketstat::listener).toList(),
        dependencies(Direction.UPSTREAM, dependencies.upstreams(), result.bytes()),
        dependencies(Direction.DOWNSTREAM, dependencies.downstreams(), result.bytes()));
  }

  /** Stops listening for closed connections. */
  @Override
  public void close() {
    task.close();
  }

  private static Listener listener(ListenerLabels labels) {
    return new Listener(
        labels.localHostgroup(),
        labels.bind(),
        labels.processName(),
        labels.port(),
        labels.protocol().label(),
        labels.container(),
        labels.unit(),
        labels.workload());
  }

  /** The open dependencies of a direction and those known only from their byte counts, sorted. */
  private static List<Dependency> dependencies(
      Direction direction, List<EdgeLabels> open, Map<Edge, ByteCount> bytes) {
    Set<EdgeLabels> all = new TreeSet<>(EdgeLabels.ORDER);
    all.addAll(open);
    bytes.keySet().stream()
        .filter(edge -> edge.direction() == direction)
        .forEach(edge -> all.add(edge.labels()));
    Set<EdgeLabels> connected = Set.copyOf(open);
    return all.stream()
        .map(
            labels ->
                new Dependency(
                    labels.localAddress(),
                    labels.localHostgroup(),
                    labels.remoteAddress(),
                    labels.remoteHostgroup(),
                    labels.port(),
                    labels.protocol().label(),
                    labels.processName(),
                    labels.container(),
                    labels.unit(),
                    labels.workload(),
                    connected.contains(labels),
                    Optional.ofNullable(bytes.get(new Edge(direction, labels)))
                        .map(b -> new HostDependencies.ByteCount(b.egress(), b.ingress()))))
        .toList();
  }

  /** Where the socket table comes from. */
  public enum Source {
    /** Netlink when it answers and the proc root is {@code /proc}, else proc. */
    AUTO,
    /** {@code NETLINK_SOCK_DIAG} dumps, with TCP byte counters. */
    NETLINK,
    /** The text of {@code /proc/net/{tcp,tcp6,udp,udp6}}, without byte counters. */
    PROC
  }

  /** Which network namespaces to read. */
  public enum Namespaces {
    /** Every one that holds a process (containers'), each with its own primary IP. */
    ALL,
    /** Only the caller's. */
    OWN
  }

  /**
   * The options of a {@link Socketstat}, those of the task's flags; unset ones take its default.
   */
  public static final class Builder {

    private final Map<String, String> options = new HashMap<>();
    private Inventory inventory = Inventory.empty();
    private InetAddress primaryIp;

    private Builder() {
      // HostDependencies has no health figures: nothing to count them for.
      options.put("health", "false");
    }

    /** Where the proc file system is; default {@code /proc} (a fixture tree in tests). */
    public Builder procRoot(Path procRoot) {
      options.put("proc-root", procRoot.toString());
      return this;
    }

    /** Where the socket table comes from; default {@link Source#AUTO}. */
    public Builder source(Source source) {
      options.put("source", source.name().toLowerCase(Locale.ROOT));
      return this;
    }

    /** Which network namespaces to read; default {@link Namespaces#ALL}. */
    public Builder namespaces(Namespaces namespaces) {
      options.put("namespaces", namespaces.name().toLowerCase(Locale.ROOT));
      return this;
    }

    /** Whether to count TCP payload bytes (netlink source only); default true. */
    public Builder byteCounts(boolean enabled) {
      options.put("bytes", Boolean.toString(enabled));
      return this;
    }

    /**
     * How long a dependency whose connections have all closed keeps its byte count after its last
     * byte; default 10 minutes.
     */
    public Builder edgeRetention(Duration retention) {
      if (retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("edge retention must be positive, got " + retention);
      }
      options.put("edge-retention", GoDuration.format(retention));
      return this;
    }

    /**
     * Where the container runtimes keep their state, read to name each container's workload ({@link
     * HostDependencies.Dependency#workload()}); defaults {@code /var/lib/docker}, {@code
     * /run/containerd} and {@code /run/containers/storage}. A directory that does not exist names
     * no container.
     *
     * @since 0.3
     */
    public Builder runtimeState(Path dockerRoot, Path containerdState, Path crioRoot) {
      options.put("docker-root", dockerRoot.toString());
      options.put("containerd-state", containerdState.toString());
      options.put("crio-root", crioRoot.toString());
      return this;
    }

    /**
     * Names addresses by their domain and hostgroup, e.g. from {@code Inventories.load} of
     * planet-task-inventory; default none (addresses are shown as IPs, hostgroups empty).
     */
    public Builder inventory(Inventory inventory) {
      this.inventory = requireNonNull(inventory, "inventory");
      return this;
    }

    /**
     * The IP that loopback and wildcard local addresses stand for; default the source address of
     * the default route as the proc root's routing tables give it (the exporter's rule).
     */
    public Builder primaryIp(InetAddress primaryIp) {
      this.primaryIp = requireNonNull(primaryIp, "primaryIp");
      return this;
    }

    /**
     * Opens the socket source (and, for byte counts with netlink, the destroy events of closed
     * connections).
     *
     * @throws IOException when the proc root is not a directory, the netlink source does not
     *     answer, or the primary IP is not given and cannot be found
     */
    public Socketstat build() throws IOException {
      SocketstatTaskProvider provider = new SocketstatTaskProvider();
      try {
        // No series budget: a library user gets every peer, none folded into "other".
        TaskConfig config =
            TaskConfig.parse(provider.options(), options, INTERVAL, Integer.MAX_VALUE);
        Path procRoot = Path.of(config.string("proc-root"));
        InetAddress primary = primaryIp;
        if (primary == null) {
          // A proc root that is not a directory stands for none: the provider refuses it next.
          primary =
              Files.isDirectory(procRoot) ? primaryIp(procRoot) : InetAddress.getLoopbackAddress();
        }
        return new Socketstat(
            (SocketstatTask)
                provider.create(
                    new Context(
                        config,
                        inventory,
                        new HostIdentity(
                            "", IpAddress.of(primary), Set.of(IpAddress.of(primary))))));
      } catch (ConfigurationException e) {
        throw new IOException(e.getMessage(), e);
      }
    }

    private static InetAddress primaryIp(Path procRoot) throws IOException {
      Path net = procRoot.resolve("net");
      try {
        return PrimaryIp.select(net, NamespaceInterfaces.read(net));
      } catch (IOException e) {
        throw new IOException("cannot find the primary IP under " + net + ": " + e.getMessage(), e);
      }
    }
  }

  /** What the task reads of the exporter's context: its options, inventory and primary IP. */
  private record Context(TaskConfig config, Inventory inventory, HostIdentity host)
      implements TaskContext {

    @Override
    public String taskName() {
      return "socketstat";
    }

    @Override
    public Clock clock() {
      return Clock.systemUTC();
    }
  }
}
