package io.planetexporter.traffic;

import io.planetexporter.api.Host;
import io.planetexporter.net.IpAddress;
import io.planetexporter.traffic.PeerTraffic.Direction;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.HashMap;
import java.util.Map;

/**
 * The label sets of a task's traffic series, kept from one run to the next: a page names mostly the
 * peers of the page before, and client_java checks every label name of a new {@link Labels} again
 * (under C1, with an encoder and buffers per name), which was most of what a run allocated. Holds
 * the sets of the last run only, which its snapshot holds anyway. Not thread-safe; one per task.
 */
final class SeriesLabels {

  /** What a series' labels are made of; {@code peer} is null for an {@code other} series. */
  private record Key(Host local, Direction direction, IpAddress peer, Host remote) {}

  private Map<Key, Labels> lastRun = new HashMap<>();
  private Map<Key, Labels> thisRun = new HashMap<>();

  /**
   * The labels {@code local_hostgroup, direction, remote_hostgroup, remote_ip, local_domain,
   * remote_domain} of a series of this run.
   *
   * @param peer the remote peer, or null for the {@code other} series of folded peers
   */
  Labels of(Host local, Direction direction, IpAddress peer, Host remote) {
    Key key = new Key(local, direction, peer, remote);
    Labels labels = lastRun.get(key);
    if (labels == null) {
      labels =
          Labels.of(
              "local_hostgroup", local.hostgroup(),
              "direction", direction.label(),
              "remote_hostgroup", remote.hostgroup(),
              "remote_ip", peer == null ? PeerTraffic.OTHER : peer.toString(),
              "local_domain", local.domain(),
              "remote_domain", remote.domain());
    }
    thisRun.put(key, labels);
    return labels;
  }

  /** Ends a run: the next run reuses only the sets this one used. */
  void endRun() {
    lastRun = thisRun;
    thisRun = new HashMap<>();
  }
}
