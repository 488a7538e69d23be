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
   * The same sockets as {@link #read()}, given to {@code parts} as they are read: first a part that
   * holds every listener, then any others in parts of their own, so that a caller can classify most
   * sockets without keeping them. By default the whole table is the first part.
   *
   * @return the table of the first part (to {@link #recycle} once nothing reads it), with the
   *     unparsable lines or messages of every part
   */
  default SocketTable read(TableParts parts) throws IOException {
    SocketTable table = read();
    parts.listeners(table.sockets());
    return table;
  }

  /**
   * Takes back a table this source read once nothing reads its list of sockets any more (the {@link
   * Socket} objects taken from it stay valid), so that a later read may fill its memory.
   */
  default void recycle(SocketTable table) {}

  /** The option value that selects this source: {@code netlink} or {@code proc}. */
  String name();

  /** Takes a table as a source reads it, in parts ({@link SocketSource#read(TableParts)}). */
  interface TableParts {
    /**
     * The first part: every listener of the table, and maybe other sockets. Valid until the table
     * {@code read} returns is recycled.
     */
    void listeners(SocketColumns sockets);

    /** A further part, without a listener; valid only during this call. */
    void more(SocketColumns sockets);
  }
}
