package io.planetexporter.task.inventory;

import static java.util.Objects.requireNonNull;

/**
 * What one document yielded.
 *
 * @param inventory the entries kept
 * @param entries number of entries kept, before later duplicates replaced earlier ones
 * @param malformed elements or lines skipped because they were not a valid entry
 * @param unnamed entries skipped because both domain and hostgroup were empty
 * @param firstProblem where and why the first malformed entry was skipped; empty when none was
 * @param memoryBytes what the inventory was charged to the memory budget, an upper bound of what it
 *     holds
 */
record ParsedInventory(
    PrefixInventory inventory,
    int entries,
    int malformed,
    int unnamed,
    String firstProblem,
    long memoryBytes) {

  ParsedInventory {
    requireNonNull(inventory, "inventory");
    requireNonNull(firstProblem, "firstProblem");
  }
}
