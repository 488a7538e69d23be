/**
 * Workload names from the container runtimes' state files on the host (no API server, no socket to
 * the runtime): Docker's {@code config.v2.json} (Compose project and service, else the container
 * name), containerd's and CRI-O's OCI bundle {@code config.json} (the pod's namespace and owner).
 *
 * <p>Internal: public only for socketstat's own packages, not supported API.
 */
package io.planetexporter.task.socketstat.runtime;
