/**
 * The netlink {@code NETLINK_SOCK_DIAG} source: dump requests and their decoding ({@code
 * InetDiag}), the socket, and the TCP destroy events of closing connections.
 *
 * <p>Internal: public only for socketstat's own packages, not supported API.
 */
package io.planetexporter.task.socketstat.netlink;
