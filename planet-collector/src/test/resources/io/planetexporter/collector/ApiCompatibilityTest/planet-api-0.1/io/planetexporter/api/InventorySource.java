package io.planetexporter.api;

/**
 * Implemented by the one task that supplies the inventory every other task sees.
 *
 * <p>The collector makes {@link #inventory()} the answer of {@link TaskContext#inventory()} for all
 * tasks. The returned object must be immutable; the task replaces it atomically after each
 * successful load.
 */
public interface InventorySource {

  /** The inventory in force now; {@link Inventory#empty()} before the first successful load. */
  Inventory inventory();
}
