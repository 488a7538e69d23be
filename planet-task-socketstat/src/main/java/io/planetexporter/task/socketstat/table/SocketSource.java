package io.planetexporter.task.socketstat.table;

import io.planetexporter.task.socketstat.netlink.NetlinkSocketSource;
import io.planetexporter.task.socketstat.proc.ProcNetSource;
import java.io.IOException;

/**
 * Where the socket table comes from: {@link NetlinkSocketSource} or {@link ProcNetSource}.
 *
 * <p>{@link #read()} reads the network namespace of the <em>calling thread</em> (netlink) or of the
 * directory the source was made for (proc), so a thread that has entered another namespace with
 * {@code setns} can read that namespace's table with the same source.
 */
public interface SocketSource {

  /** TCP and UDP, IPv4 and IPv6, in one table. */
  SocketTable read() throws IOException;

  /**
   * Takes back a table this source read once nothing reads its list of sockets any more (the {@link
   * Socket} objects taken from it stay valid), so that a later read may fill its memory.
   */
  default void recycle(SocketTable table) {}

  /** The option value that selects this source: {@code netlink} or {@code proc}. */
  String name();
}
