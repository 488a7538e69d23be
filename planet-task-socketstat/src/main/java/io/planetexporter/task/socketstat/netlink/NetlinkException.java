package io.planetexporter.task.socketstat.netlink;

import java.io.IOException;

/** A netlink call that failed, with the kernel's errno. */
public final class NetlinkException extends IOException {

  private static final long serialVersionUID = 1L;

  private final int errno;

  NetlinkException(String message, int errno) {
    super(message + " (errno " + errno + ")");
    this.errno = errno;
  }

  int errno() {
    return errno;
  }
}
