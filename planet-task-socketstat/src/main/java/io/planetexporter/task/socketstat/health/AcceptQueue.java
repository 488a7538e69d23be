package io.planetexporter.task.socketstat.health;

/**
 * The accept queue of a listener: connections established and waiting for the application to accept
 * them, and how many may wait (the backlog, capped by {@code net.core.somaxconn}). A listener of
 * several sockets ({@code SO_REUSEPORT}) adds theirs up. When it is full, the kernel drops new
 * SYNs: its clients see timeouts.
 */
public record AcceptQueue(long waiting, long limit) {

  public AcceptQueue {
    if (waiting < 0 || limit < 0) {
      throw new IllegalArgumentException("negative accept queue: " + waiting + " of " + limit);
    }
  }

  public AcceptQueue plus(AcceptQueue other) {
    return new AcceptQueue(waiting + other.waiting, limit + other.limit);
  }
}
