/**
 * Other network namespaces: finding them, reading their tables (entering them with {@code setns},
 * or through {@code /proc/<pid>/net}), and their interfaces for their primary IP.
 *
 * <p>Internal: public only for socketstat's own packages, not supported API.
 */
package io.planetexporter.task.socketstat.namespace;
