package io.planetexporter.task.socketstat.classify;

/** Which way a dependency points: this host uses the peer, or the peer uses this host. */
public enum Direction {
  /** This host connected to the peer: {@code planet_upstream}. */
  UPSTREAM,
  /** The peer connected to a listener of this host: {@code planet_downstream}. */
  DOWNSTREAM
}
