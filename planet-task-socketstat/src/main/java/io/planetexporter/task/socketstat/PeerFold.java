package io.planetexporter.task.socketstat;

import com.google.common.net.InetAddresses;
import io.planetexporter.task.support.PeerFolding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Holds {@code planet_upstream} and {@code planet_downstream} to a series budget by folding remote
 * peers into {@code remote_address="other"} ({@link PeerFolding}), keeping every other label: a
 * peer the inventory does not name (its remote address is an IP and it has no hostgroup) folds with
 * {@code remote_hostgroup=""}, a named one, only if that is not enough, keeps its hostgroup. A
 * peer's series are its upstreams and downstreams; it is one peer for both.
 */
final class PeerFold {

  static final String OTHER = "other";

  private final PeerFolding<String> folding = new PeerFolding<>(Comparator.naturalOrder());

  /**
   * The dependencies after folding.
   *
   * @param dependencies upstreams and downstreams folded, servers as given
   * @param foldedPeers how many remote peers are folded
   */
  record Folded(Dependencies dependencies, int foldedPeers) {}

  /** The labels of a series other than the remote peer's own. */
  private record RestKey(
      boolean downstream,
      String localHostgroup,
      String localAddress,
      int port,
      Protocol protocol,
      String processName) {

    static RestKey of(Peer peer, boolean downstream) {
      return new RestKey(
          downstream,
          peer.localHostgroup(),
          peer.localAddress(),
          peer.port(),
          peer.protocol(),
          peer.processName());
    }
  }

  Folded fold(Dependencies dependencies, long budget, Instant now) {
    PeerFolding<String>.Run run = folding.start(now);
    add(run, dependencies.upstreams(), false);
    add(run, dependencies.downstreams(), true);
    run.fold(budget);
    return new Folded(
        new Dependencies(
            folded(run, dependencies.upstreams()),
            folded(run, dependencies.downstreams()),
            dependencies.servers()),
        run.foldedPeers());
  }

  private static void add(PeerFolding<String>.Run run, List<Peer> peers, boolean downstream) {
    for (Peer peer : peers) {
      run.add(
          peer.remoteAddress(),
          isNamed(peer),
          peer.remoteHostgroup(),
          RestKey.of(peer, downstream));
    }
  }

  /** Named by the inventory: a domain instead of the IP, or a hostgroup ({@code localhost} too). */
  private static boolean isNamed(Peer peer) {
    return !peer.remoteHostgroup().isEmpty() || !InetAddresses.isInetAddress(peer.remoteAddress());
  }

  /** The series with folded peers as {@code other}, merged, in {@link Peer#ORDER}. */
  private static List<Peer> folded(PeerFolding<String>.Run run, List<Peer> peers) {
    if (run.foldedPeers() == 0) {
      return peers;
    }
    Set<Peer> series = new LinkedHashSet<>();
    for (Peer peer : peers) {
      series.add(
          run.isFolded(peer.remoteAddress())
              ? new Peer(
                  peer.localHostgroup(),
                  peer.remoteHostgroup(),
                  peer.localAddress(),
                  OTHER,
                  peer.port(),
                  peer.protocol(),
                  peer.processName())
              : peer);
    }
    List<Peer> sorted = new ArrayList<>(series);
    sorted.sort(Peer.ORDER);
    return sorted;
  }
}
