package io.planetexporter.task.socketstat.table;

import java.util.List;

/**
 * What a {@link SocketSource} read.
 *
 * @param sockets in the order read; not to be changed (columns, so that a collection reads them row
 *     by row without making an object of every socket)
 * @param unparsableLines lines (proc) or messages (netlink) skipped because they did not parse
 */
public record SocketTable(SocketColumns sockets, int unparsableLines) {

  /** A table of socket objects (the proc source's), held as columns. */
  public SocketTable(List<Socket> sockets, int unparsableLines) {
    this(SocketColumns.of(sockets), unparsableLines);
  }
}
