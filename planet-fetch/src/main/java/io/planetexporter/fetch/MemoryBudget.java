package io.planetexporter.fetch;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * The heap that fetched documents may cost together, in the form their tasks hold them (the parsed
 * peers of a traffic page, the entries of an inventory) and while they are read: one budget for the
 * process, so that neither one input nor the number of tasks can take the heap. Each task has an
 * {@link Account}; it charges the account <em>before</em> it allocates, and a charge that does not
 * fit fails with a {@link MemoryBudgetException}, which the fetch turns into the run's error.
 *
 * <pre>{@code
 * MemoryBudget.Account memory = MemoryBudget.heap().account("task darkstat");
 * fetcher.fetch(uri, memory, in -> parse(in, peer -> memory.charge(PEER_BYTES)));
 * memory.settle(retainedPeers * RETAINED_BYTES); // what the task keeps until its next run
 * }</pre>
 *
 * <p>The figures charged are estimates measured on this JVM's layout (docs/operator-guide.md,
 * "Memory"): an upper bound for what a task allocates, not a heap census. Thread-safe.
 */
public final class MemoryBudget {

  private static final MemoryBudget HEAP = new MemoryBudget(Runtime.getRuntime().maxMemory() / 2);

  private final long limit;
  private long held; // guarded by this

  /**
   * @param limit the bytes all accounts may hold together, positive
   */
  public MemoryBudget(long limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    this.limit = limit;
  }

  /**
   * The process's budget: half the maximum heap (128 MiB under the launcher's {@code -Xmx256m}),
   * leaving the other half to everything else the exporter holds.
   */
  public static MemoryBudget heap() {
    return HEAP;
  }

  /** The bytes all accounts may hold together. */
  public long limit() {
    return limit;
  }

  /** The bytes all accounts hold now. */
  public synchronized long held() {
    return held;
  }

  /**
   * A new account holding nothing.
   *
   * @param owner who holds it, as errors name it, e.g. {@code task darkstat}
   */
  public Account account(String owner) {
    return new Account(requireNonNull(owner, "owner"));
  }

  /** What one task holds of the budget. */
  public final class Account {

    private final String owner;
    private long held; // guarded by MemoryBudget.this

    private Account(String owner) {
      this.owner = owner;
    }

    /**
     * Reserves {@code bytes} more, before they are allocated.
     *
     * @throws MemoryBudgetException when the budget has not that much left; nothing is reserved
     */
    public void charge(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("bytes must not be negative, got " + bytes);
      }
      synchronized (MemoryBudget.this) {
        if (bytes > limit - MemoryBudget.this.held) {
          throw new MemoryBudgetException(
              owner
                  + ": over the memory budget of fetched documents: needs "
                  + mib(bytes)
                  + " more, holds "
                  + mib(held)
                  + ", and all tasks together may hold "
                  + mib(limit)
                  + " (half the heap, -Xmx) of which "
                  + mib(MemoryBudget.this.held)
                  + " is taken; refused");
        }
        held += bytes;
        MemoryBudget.this.held += bytes;
      }
    }

    /**
     * Makes the account hold exactly {@code bytes}: what the task keeps once a run has ended (its
     * transient structures are garbage by then). Never fails, since the memory is already there.
     */
    public void settle(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("bytes must not be negative, got " + bytes);
      }
      synchronized (MemoryBudget.this) {
        MemoryBudget.this.held += bytes - held;
        held = bytes;
      }
    }

    /** The bytes the account holds now. */
    public long held() {
      synchronized (MemoryBudget.this) {
        return held;
      }
    }
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
