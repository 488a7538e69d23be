package io.planetexporter.task.inventory;

/** A document with more entries than {@code -task-inventory-max-entries}, refused as it is read. */
final class TooManyEntriesException extends InventoryException {

  private static final long serialVersionUID = 1L;

  TooManyEntriesException(String message) {
    super(message);
  }
}
