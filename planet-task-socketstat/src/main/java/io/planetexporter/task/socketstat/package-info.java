/**
 * The {@code socketstat} task. Supported API: {@link
 * io.planetexporter.task.socketstat.SocketstatTaskProvider} only, as ServiceLoader finds it; the
 * rest is internal until this module offers a host's dependencies as plain Java values.
 */
package io.planetexporter.task.socketstat;
