package io.planetexporter.task.inventory;

/**
 * A fetched document cannot become the inventory: not the expected format, or refused. The message
 * says all; there is no cause. Not final: {@link TooManyEntriesException} is the one refusal that
 * is not about the format.
 */
class InventoryException extends Exception {

  private static final long serialVersionUID = 1L;

  InventoryException(String message) {
    super(message);
  }
}
