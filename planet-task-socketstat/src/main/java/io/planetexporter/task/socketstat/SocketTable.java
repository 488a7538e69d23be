package io.planetexporter.task.socketstat;

import java.util.List;

/**
 * What one or more {@code /proc/net/*} files held.
 *
 * @param sockets in file order
 * @param unparsableLines lines skipped because they did not parse
 */
record SocketTable(List<Socket> sockets, int unparsableLines) {

  SocketTable {
    sockets = List.copyOf(sockets);
  }
}
