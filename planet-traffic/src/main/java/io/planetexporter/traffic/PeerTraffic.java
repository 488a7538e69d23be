package io.planetexporter.traffic;

import static java.util.Objects.requireNonNull;

import io.planetexporter.api.Host;
import io.planetexporter.api.HostIdentity;
import io.planetexporter.api.Inventory;
import io.planetexporter.net.IpAddress;
import io.planetexporter.textformat.Sample;
import io.planetexporter.textformat.TextFormatException;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Bytes exchanged with each remote peer in one run, summed per output label set and labelled
 * through the inventory: the data behind {@code planet_traffic_bytes_total} (darkstat) and {@code
 * planet_ebpf_traffic_bytes_total} (ebpf).
 *
 * <pre>{@code
 * PeerTraffic.Builder traffic = PeerTraffic.builder(context.host(), context.inventory());
 * PrometheusTextParser.parse(body, (sample, line) -> traffic.add(sample, line, "daddr", EGRESS));
 * PeerTraffic table = traffic.build();
 * CounterSnapshot counter = table.toCounter("planet_ebpf_traffic_bytes", "...");
 * }</pre>
 *
 * <p>Over a series budget, peers are folded ({@link PeerFolding}) into {@code remote_ip="other"}:
 * peers the inventory does not name into one series per direction, named ones (if that is not
 * enough) into one per hostgroup and direction, with {@code remote_domain=""}. Their bytes are
 * added to the {@code other} series, so the sum over the table is the sum over the page.
 */
public final class PeerTraffic {

  /** Which way the bytes went, seen from this host. */
  public enum Direction {
    INGRESS("ingress"),
    EGRESS("egress");

    private final String label;

    Direction(String label) {
      this.label = label;
    }

    /** The value of the {@code direction} label. */
    public String label() {
      return label;
    }
  }

  /** One output series before it becomes a data point; {@code peer} is null for {@code other}. */
  private record Series(Direction direction, IpAddress peer, Host remote, double bytes) {}

  private static final Direction[] DIRECTIONS = Direction.values();

  /** The {@code remote_ip} of the series that folded peers' bytes go to. */
  public static final String OTHER = "other";

  private static final IpAddress LIMITED_BROADCAST = IpAddress.ipv4(-1);
  private static final Host UNKNOWN = new Host("", "");

  private final Host local;
  private final List<Series> series;
  private final int foldedPeers;

  private PeerTraffic(Host local, List<Series> series, int foldedPeers) {
    this.local = local;
    this.series = List.copyOf(series);
    this.foldedPeers = foldedPeers;
  }

  /**
   * Starts a run's table. The local labels are the inventory entry of the host's primary IP, else
   * that IP itself for both, as the Go program.
   */
  public static Builder builder(HostIdentity host, Inventory inventory) {
    return new Builder(host, inventory, peer -> {});
  }

  /** {@link #builder(HostIdentity, Inventory)} that tells {@code newPeer} of each peer first. */
  static Builder builder(HostIdentity host, Inventory inventory, Consumer<IpAddress> newPeer) {
    return new Builder(host, inventory, newPeer);
  }

  /**
   * Whether traffic with {@code address} is traffic with another host: not one of this host's own
   * addresses ({@code own}), not loopback, not the unspecified address, not multicast or the
   * limited broadcast address. Link-local unicast peers are kept: they are real neighbours
   * exchanging real bytes.
   */
  static boolean isRemotePeer(IpAddress address, Set<IpAddress> own) {
    return !own.contains(address)
        && !address.isLoopback()
        && !address.isWildcard()
        && !address.isMulticast()
        && !address.equals(LIMITED_BROADCAST);
  }

  /** Number of output series. */
  public int size() {
    return series.size();
  }

  /** Number of peers whose bytes went to an {@code other} series. */
  public int foldedPeers() {
    return foldedPeers;
  }

  /**
   * The table as a counter with labels {@code local_hostgroup, direction, remote_hostgroup,
   * remote_ip, local_domain, remote_domain} (client_java orders the data points by labels).
   *
   * @param name the counter's name without {@code _total}, which the exposition adds
   */
  public CounterSnapshot toCounter(String name, String help) {
    return toCounter(name, help, new SeriesLabels());
  }

  /** {@link #toCounter(String, String)} with the label sets of the task's last run reused. */
  CounterSnapshot toCounter(String name, String help, SeriesLabels labels) {
    CounterSnapshot.Builder counter = CounterSnapshot.builder().name(name).help(help);
    for (Series s : series) {
      counter.dataPoint(
          CounterDataPointSnapshot.builder()
              .labels(labels.of(local, s.direction(), s.peer(), s.remote()))
              .value(s.bytes())
              .build());
    }
    labels.endRun();
    return counter.build();
  }

  /** Adds up the samples of one page. Not thread-safe; one per run. */
  public static final class Builder {

    private final Set<IpAddress> own = new HashSet<>();
    private final Inventory inventory;
    private final Host local;
    // Per peer: bytes by Direction.ordinal(), NaN while no sample gave that direction.
    private final Map<IpAddress, double[]> bytes = new HashMap<>();
    private final Map<IpAddress, Host> remotes = new HashMap<>();
    // Told of each peer before the builder holds it, to charge it to the task's memory budget.
    private final Consumer<IpAddress> newPeer;

    private Builder(HostIdentity host, Inventory inventory, Consumer<IpAddress> newPeer) {
      this.newPeer = newPeer;
      own.add(requireNonNull(host, "host").primaryAddress());
      own.addAll(host.addresses());
      this.inventory = requireNonNull(inventory, "inventory");
      String primaryIp = host.primaryAddress().toString();
      this.local = inventory.lookup(host.primaryAddress()).orElse(new Host(primaryIp, primaryIp));
    }

    /**
     * Adds a sample's value to the peer named by its label {@code peerLabel}, unless that peer is
     * not a remote peer ({@link #isRemotePeer}).
     *
     * @param line the sample's line, to name in an error
     * @throws TextFormatException when the label is missing or not an IP address, or the value is
     *     not a byte count (negative, NaN or infinite)
     */
    public void add(Sample sample, long line, String peerLabel, Direction direction)
        throws TextFormatException {
      String text = sample.labels().get(peerLabel);
      if (text == null) {
        throw new TextFormatException(line, sample.name() + " has no label " + peerLabel);
      }
      // An IPv6 zone (fe80::1%eth0) names our interface, not the peer: one peer, one remote_ip.
      int zone = text.indexOf('%');
      IpAddress peer;
      try {
        // Parses literals only: never a DNS lookup.
        peer = IpAddress.parse(zone < 0 ? text : text.substring(0, zone));
      } catch (IllegalArgumentException e) {
        throw new TextFormatException(
            line, "label " + peerLabel + " of " + sample.name() + " is not an IP address");
      }
      double value = sample.value();
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw new TextFormatException(
            line, sample.name() + " has value " + value + ", not a byte count");
      }
      if (!isRemotePeer(peer, own)) {
        return;
      }
      double[] sums = bytes.get(peer);
      if (sums == null) {
        newPeer.accept(peer);
        sums = new double[] {Double.NaN, Double.NaN};
        bytes.put(peer, sums);
      }
      int i = direction.ordinal();
      sums[i] = Double.isNaN(sums[i]) ? value : sums[i] + value;
    }

    /** The table with one series per peer and direction, whatever their number. */
    public PeerTraffic build() {
      return build(
          new PeerFolding<IpAddress>(Comparator.naturalOrder(), Duration.ZERO, 0)
              .start(Instant.EPOCH),
          Long.MAX_VALUE);
    }

    /**
     * The table within {@code budget} series where folding can make it so.
     *
     * @param run this run of the task's folding, to which the builder adds its peers
     */
    PeerTraffic build(PeerFolding<IpAddress>.Run run, long budget) {
      for (Map.Entry<IpAddress, double[]> entry : bytes.entrySet()) {
        IpAddress peer = entry.getKey();
        Optional<Host> known = inventory.lookup(peer);
        Host remote = known.orElse(UNKNOWN);
        if (known.isPresent()) {
          remotes.put(peer, remote);
        }
        double[] sums = entry.getValue();
        for (Direction direction : DIRECTIONS) {
          if (!Double.isNaN(sums[direction.ordinal()])) {
            run.add(peer, known.isPresent(), remote.hostgroup(), direction);
          }
        }
      }
      run.fold(budget);
      List<Series> series = new ArrayList<>();
      // Folded bytes per (direction, remote) of the other series, in Direction order.
      List<Map<Host, double[]>> other = List.of(new HashMap<>(), new HashMap<>());
      for (Map.Entry<IpAddress, double[]> entry : bytes.entrySet()) {
        IpAddress peer = entry.getKey();
        Host remote = remotes.getOrDefault(peer, UNKNOWN);
        boolean folded = run.isFolded(peer);
        double[] sums = entry.getValue();
        for (Direction direction : DIRECTIONS) {
          double value = sums[direction.ordinal()];
          if (Double.isNaN(value)) {
            continue;
          }
          if (folded) {
            other.get(direction.ordinal())
                    .computeIfAbsent(new Host("", remote.hostgroup()), h -> new double[1])[0] +=
                value;
          } else {
            series.add(new Series(direction, peer, remote, value));
          }
        }
      }
      for (Direction direction : DIRECTIONS) {
        other
            .get(direction.ordinal())
            .forEach((remote, sum) -> series.add(new Series(direction, null, remote, sum[0])));
      }
      return new PeerTraffic(local, series, run.foldedPeers());
    }
  }
}
