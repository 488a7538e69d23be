/**
 * Byte counts: the payload bytes of each connection and edge, from {@code tcp_info} and destroy
 * events, kept across collections.
 *
 * <p>Internal: public only for socketstat's own packages, not supported API.
 */
package io.planetexporter.task.socketstat.bytes;
