/**
 * What a collection publishes (its result, its edges folded to the series budget) and the metric
 * snapshots built from it.
 *
 * <p>Internal: public only for socketstat's own packages, not supported API.
 */
package io.planetexporter.task.socketstat.metrics;
