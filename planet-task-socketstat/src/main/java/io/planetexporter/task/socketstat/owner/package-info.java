/**
 * Socket owners: the process holding each socket inode (the {@code /proc/<pid>/fd} walk and its
 * cache), and what a process runs as (its container or systemd unit, from its cgroup).
 *
 * <p>Internal: public only for socketstat's own packages, not supported API.
 */
package io.planetexporter.task.socketstat.owner;
