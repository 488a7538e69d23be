/**
 * Classification of sockets into listeners and edges (upstreams and downstreams), then naming them
 * into label values through the inventory.
 *
 * <p>Internal: public only for socketstat's own packages, not supported API.
 */
package io.planetexporter.task.socketstat.classify;
