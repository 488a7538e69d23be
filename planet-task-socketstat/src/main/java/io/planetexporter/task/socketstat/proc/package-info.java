/**
 * The {@code /proc/net/{tcp,tcp6,udp,udp6}} source and its streaming parser.
 *
 * <p>Internal: public only for socketstat's own packages and its benchmarks, not supported API.
 */
package io.planetexporter.task.socketstat.proc;
