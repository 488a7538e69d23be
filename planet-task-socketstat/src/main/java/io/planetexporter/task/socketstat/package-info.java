/**
 * The {@code socketstat} task and socketstat as a library.
 *
 * <p>Supported API (since 0.2): {@link io.planetexporter.task.socketstat.Socketstat} (read a host's
 * listeners, upstreams and downstreams, with byte counts, without the exporter), the values it
 * returns ({@link io.planetexporter.task.socketstat.HostDependencies} and its records), and {@link
 * io.planetexporter.task.socketstat.SocketstatTaskProvider} (the task, found by ServiceLoader).
 * Every other type here is package-private and may change in any release.
 */
package io.planetexporter.task.socketstat;
