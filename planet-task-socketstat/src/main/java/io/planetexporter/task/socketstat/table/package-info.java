/**
 * The socket table as either source gives it: sockets, held as columns, their states and {@code
 * tcp_info}, and the source interface.
 *
 * <p>Internal: public only for socketstat's own packages and its benchmarks, not supported API.
 */
package io.planetexporter.task.socketstat.table;
