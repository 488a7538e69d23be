package io.planetexporter.task.socketstat;

import java.util.Locale;

/** How the byte counters learn about closed connections. */
enum BytesMode {
  /** No byte counters: turned off, or a source without them ({@code proc}). */
  OFF,
  /** Connections that vanish between collections count at their last-seen counters. */
  LAST_SEEN,
  /** Closed connections count at their final counters, from the sock_diag destroy groups. */
  DESTROY_EVENTS;

  /** The {@code mode} label value. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
