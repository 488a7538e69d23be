package io.planetexporter.task.socketstat;

import java.util.List;

/**
 * What a {@link SocketSource} read.
 *
 * @param sockets in the order read
 * @param unparsableLines lines (proc) or messages (netlink) skipped because they did not parse
 */
record SocketTable(List<Socket> sockets, int unparsableLines) {

  SocketTable {
    sockets = List.copyOf(sockets);
  }
}
