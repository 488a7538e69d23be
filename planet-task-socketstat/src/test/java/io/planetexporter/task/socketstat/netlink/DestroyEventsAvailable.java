package io.planetexporter.task.socketstat.netlink;

/** Whether the kernel lets this test JVM join the sock_diag destroy groups. */
public final class DestroyEventsAvailable {

  private DestroyEventsAvailable() {}

  public static boolean check() {
    try {
      DestroyEvents.start().close();
      return true;
    } catch (NetlinkException e) {
      return false;
    }
  }
}
