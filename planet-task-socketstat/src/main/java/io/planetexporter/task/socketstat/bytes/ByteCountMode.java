package io.planetexporter.task.socketstat.bytes;

import java.util.Locale;

/** How the byte counters learn about closed connections. */
public enum ByteCountMode {
  /** No byte counters: turned off, or a source without them ({@code proc}). */
  OFF,
  /** Connections that vanish between collections count at their last-seen counters. */
  LAST_SEEN,
  /** Closed connections count at their final counters, from the sock_diag destroy groups. */
  DESTROY_EVENTS;

  /** The {@code mode} label value. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
