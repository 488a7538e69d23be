/**
 * Edge health: connect failures, retransmitted bytes and round-trip times of each edge, and the
 * accept queue of each listener, from {@code tcp_info} and destroy events. Counted with the byte
 * counts ({@code bytes.ByteCounting}), under the same rules.
 *
 * <p>Internal: public only for socketstat's own packages, not supported API.
 */
package io.planetexporter.task.socketstat.health;
