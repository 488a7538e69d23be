package io.planetexporter.task.socketstat.netlink;

import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.RecentAddresses;
import io.planetexporter.task.socketstat.table.Socket;
import io.planetexporter.task.socketstat.table.SocketColumns;
import java.nio.ByteBuffer;

/**
 * Captured sock_diag messages decoded as the exporter decodes them, for the tests of other
 * packages: a dumped socket, and a destroy event as {@link DestroyEvents} keeps it.
 */
public final class CapturedMessages {

  private CapturedMessages() {}

  /** The one socket of a dumped message. */
  public static Socket socket(ByteBuffer message) throws NetlinkException {
    SocketColumns columns = new SocketColumns(1);
    int[] malformed = {0};
    InetDiag.decode(message, Protocol.TCP, new RecentAddresses(), columns, () -> malformed[0]++);
    if (columns.size() != 1 || malformed[0] != 0) {
      throw new IllegalArgumentException("not one well-formed socket message");
    }
    return columns.get(0);
  }

  /**
   * A destroy event as {@link DestroyEvents} keeps it, null when it drops it.
   *
   * @param left the kernel's answer to the lookup of what it left behind, captured as the event
   *     arrived; null when none was made
   */
  public static Socket announced(ByteBuffer event, ByteBuffer left) throws NetlinkException {
    return DestroyEvents.announced(
        socket(event),
        closed -> {
          if (left == null) {
            throw new IllegalStateException("a lookup for " + closed + " was not captured");
          }
          return DestroyEvents.leftBehind(left, new RecentAddresses(), new SocketColumns(1));
        });
  }
}
