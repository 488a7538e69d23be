package io.planetexporter.task.socketstat;

import java.util.List;

/**
 * What a {@link SocketSource} read.
 *
 * @param sockets in the order read; not to be changed (columns as the netlink source fills them,
 *     else an unmodifiable copy)
 * @param unparsableLines lines (proc) or messages (netlink) skipped because they did not parse
 */
record SocketTable(List<Socket> sockets, int unparsableLines) {

  SocketTable {
    // The columns are not copied: that would make an object of every socket, kept all collection.
    sockets = sockets instanceof SocketColumns ? sockets : List.copyOf(sockets);
  }
}
