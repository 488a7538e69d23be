package io.planetexporter.traffic;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which peers of a task's output are folded into one {@code other} peer, so that the task
 * stays within its series budget without dropping what it measured.
 *
 * <pre>{@code
 * PeerFolding<InetAddress> folding = new PeerFolding<>(BY_ADDRESS);
 * // every run:
 * PeerFolding<InetAddress>.Run run = folding.start(clock.instant());
 * run.add(peer, named, hostgroup, direction); // once per series the peer would have
 * run.fold(config.maxSeries() - otherSeries);
 * if (run.isFolded(peer)) { ... label it "other" and add its value to the other series ... }
 * }</pre>
 *
 * <p>Each series of a peer is named by its <em>rest key</em>: its labels other than the peer's own
 * (for a traffic counter, its direction). Folded peers that the inventory does not name share one
 * {@code other} peer, so they cost one series per distinct rest key; folded named peers keep their
 * hostgroup, so they cost one per distinct (hostgroup, rest key). The order is fixed:
 *
 * <ol>
 *   <li>a peer folded in an earlier run is folded again, budget or not, until it has been absent
 *       for the retention (or is among the least recently seen of too many absent ones): its
 *       counter never moves back from {@code other} to a series of its own while it is seen;
 *   <li>while the output is over the budget, unnamed peers are folded, the peers with the fewest
 *       series first, ties broken by the peer order (so the same input folds the same peers);
 *   <li>if folding every unnamed peer is not enough, named peers are folded the same way, by
 *       hostgroup.
 * </ol>
 *
 * <p>Not thread-safe: one run at a time, on the task's thread.
 *
 * @param <K> a peer's identity, with working {@code equals} and {@code hashCode}
 */
public final class PeerFolding<K> {

  /** How long the built-in tasks keep a folded peer folded after it was last seen. */
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(1);

  /**
   * How many folded peers absent from the last run are remembered at most: peers that come and go
   * (a page whose hosts change, clients that reconnect from new addresses) must not grow the memory
   * without bound within the retention. The least recently seen are forgotten first.
   */
  public static final int DEFAULT_MAX_ABSENT = 50_000;

  private final Comparator<? super K> order;
  private final Duration retention;
  private final int maxAbsent;
  // Peers folded in some run, with when they were last seen; only these runs touch it.
  private final Map<K, Instant> folded = new HashMap<>();

  /**
   * @param order breaks ties between peers with as many series, so that folding is deterministic
   * @param retention how long a folded peer absent from the runs stays folded
   * @param maxAbsent how many folded peers absent from the last run are remembered at most
   */
  public PeerFolding(Comparator<? super K> order, Duration retention, int maxAbsent) {
    this.order = requireNonNull(order, "order");
    this.retention = requireNonNull(retention, "retention");
    if (maxAbsent < 0) {
      throw new IllegalArgumentException("maxAbsent must not be negative, got " + maxAbsent);
    }
    this.maxAbsent = maxAbsent;
  }

  /** With the built-in tasks' retention and limit of absent peers. */
  public PeerFolding(Comparator<? super K> order) {
    this(order, DEFAULT_RETENTION, DEFAULT_MAX_ABSENT);
  }

  /** Starts one run's decision, at {@code now}. */
  public Run start(Instant now) {
    return new Run(requireNonNull(now, "now"));
  }

  /**
   * What a remembered peer costs between runs: its map node, key and last-seen entry (76 bytes
   * measured with 400,000 IPv4 and IPv6 peers, rounded up).
   */
  static final long REMEMBERED_BYTES = 80;

  /** How many peers are remembered as folded, present or not. */
  int remembered() {
    return folded.size();
  }

  /** Whether {@code peer} is remembered as folded, so costs nothing more to fold again. */
  boolean remembers(K peer) {
    return folded.containsKey(peer);
  }

  /** One run: its peers and series, then which of them are folded. */
  public final class Run {

    private final Instant now;
    private final Map<K, Peer> peers = new HashMap<>();
    private final Set<Object> otherKeys = new HashSet<>();
    private final Set<HostgroupKey> hostgroupKeys = new HashSet<>();
    private long unfoldedSeries;
    private int foldedPeers;
    private boolean decided;

    private Run(Instant now) {
      this.now = now;
    }

    /**
     * Adds one series of {@code peer}; call once per series, with the same {@code named} and {@code
     * hostgroup} for a peer.
     *
     * @param named whether the inventory names the peer
     * @param hostgroup the peer's hostgroup, kept when a named peer is folded
     * @param restKey the series' labels other than the peer's own, with equals and hashCode
     */
    public void add(K peer, boolean named, String hostgroup, Object restKey) {
      if (decided) {
        throw new IllegalStateException("series added after fold()");
      }
      Peer entry = peers.computeIfAbsent(peer, p -> new Peer(named, hostgroup));
      if (entry.addRestKey(requireNonNull(restKey, "restKey"))) {
        unfoldedSeries++;
      }
    }

    /**
     * Folds peers, in the order the class describes, until the output has at most {@code budget}
     * series or no peer is left to fold; remembers the folded peers for the next runs.
     *
     * @return the number of series the output has
     */
    public long fold(long budget) {
      if (decided) {
        throw new IllegalStateException("fold() called twice");
      }
      decided = true;
      for (Map.Entry<K, Peer> entry : peers.entrySet()) {
        if (folded.containsKey(entry.getKey())) {
          foldPeer(entry.getValue());
        }
      }
      foldWhileOver(budget, false);
      foldWhileOver(budget, true);
      for (Map.Entry<K, Peer> entry : peers.entrySet()) {
        if (entry.getValue().folded) {
          folded.put(entry.getKey(), now);
        }
      }
      forgetAbsent();
      return series();
    }

    /** Forgets peers absent for the retention, then the least recently seen beyond the limit. */
    private void forgetAbsent() {
      Instant forgetBefore = now.minus(retention);
      List<Map.Entry<K, Instant>> absent = new ArrayList<>();
      for (Iterator<Map.Entry<K, Instant>> it = folded.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<K, Instant> entry = it.next();
        if (entry.getValue().isBefore(forgetBefore)) {
          it.remove();
        } else if (entry.getValue().isBefore(now)) {
          absent.add(entry);
        }
      }
      if (absent.size() > maxAbsent) {
        absent.sort(
            Map.Entry.<K, Instant>comparingByValue().thenComparing(Map.Entry::getKey, order));
        for (Map.Entry<K, Instant> entry : absent.subList(0, absent.size() - maxAbsent)) {
          folded.remove(entry.getKey());
        }
      }
    }

    private void foldWhileOver(long budget, boolean named) {
      if (series() <= budget) {
        return;
      }
      List<Map.Entry<K, Peer>> candidates = new ArrayList<>();
      for (Map.Entry<K, Peer> entry : peers.entrySet()) {
        Peer peer = entry.getValue();
        if (!peer.folded && peer.named == named) {
          candidates.add(entry);
        }
      }
      candidates.sort(
          Comparator.<Map.Entry<K, Peer>>comparingInt(e -> e.getValue().size)
              .thenComparing(Map.Entry::getKey, order));
      for (Map.Entry<K, Peer> candidate : candidates) {
        if (series() <= budget) {
          return;
        }
        foldPeer(candidate.getValue());
      }
    }

    private void foldPeer(Peer peer) {
      peer.folded = true;
      foldedPeers++;
      unfoldedSeries -= peer.size;
      for (int i = 0; i < peer.size; i++) {
        Object key = peer.restKeys[i];
        if (peer.named) {
          hostgroupKeys.add(new HostgroupKey(peer.hostgroup, key));
        } else {
          otherKeys.add(key);
        }
      }
    }

    private long series() {
      return unfoldedSeries + otherKeys.size() + hostgroupKeys.size();
    }

    /** Whether the peer's series go to {@code other}; false for a peer not added. */
    public boolean isFolded(K peer) {
      if (!decided) {
        throw new IllegalStateException("isFolded() before fold()");
      }
      Peer entry = peers.get(peer);
      return entry != null && entry.folded;
    }

    /** How many of this run's peers are folded. */
    public int foldedPeers() {
      return foldedPeers;
    }
  }

  /**
   * One peer of a run. Its rest keys are a small array searched linearly: a traffic peer has one or
   * two, and a run may have hundreds of thousands of peers, where a set each would cost more than
   * the rest of the run's memory. A peer with many (a busy local service) gets a set as well.
   */
  private static final class Peer {
    static final int LINEAR_SEARCH_LIMIT = 16;

    final boolean named;
    final String hostgroup;
    Object[] restKeys = new Object[2];
    int size;
    Set<Object> index;
    boolean folded;

    Peer(boolean named, String hostgroup) {
      this.named = named;
      this.hostgroup = requireNonNull(hostgroup, "hostgroup");
    }

    boolean addRestKey(Object key) {
      if (index != null) {
        if (!index.add(key)) {
          return false;
        }
      } else {
        for (int i = 0; i < size; i++) {
          if (restKeys[i].equals(key)) {
            return false;
          }
        }
        if (size == LINEAR_SEARCH_LIMIT) {
          index = new HashSet<>(Arrays.asList(restKeys).subList(0, size));
          index.add(key);
        }
      }
      if (size == restKeys.length) {
        restKeys = Arrays.copyOf(restKeys, size * 2);
      }
      restKeys[size++] = key;
      return true;
    }
  }

  private record HostgroupKey(String hostgroup, Object restKey) {}
}
