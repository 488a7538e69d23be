/**
 * What the per-peer traffic tasks (darkstat, ebpf) share: a fetched page read into byte counters
 * per peer and direction, labelled through the inventory, with peers the inventory does not name
 * folded into {@code other} past the series budget (socketstat folds its edges the same way).
 * Public for this project's modules, with no compatibility promise to plugins.
 */
package io.planetexporter.traffic;
