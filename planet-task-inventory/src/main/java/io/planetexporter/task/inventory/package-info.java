/**
 * The {@code inventory} task and the inventory as a library.
 *
 * <p>Supported API: {@link io.planetexporter.task.inventory.Inventories} (load and look up, no
 * exporter needed) and {@link io.planetexporter.task.inventory.InventoryTaskProvider} (the task,
 * found by ServiceLoader). Every other type here is package-private.
 */
package io.planetexporter.task.inventory;
