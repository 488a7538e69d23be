package io.planetexporter.task.socketstat;

/** Whether this test JVM may join the sock_diag destroy groups (it needs CAP_NET_ADMIN). */
final class DestroyEventsAvailable {

  private DestroyEventsAvailable() {}

  static boolean check() {
    try {
      DestroyEvents.start().close();
      return true;
    } catch (NetlinkException e) {
      return false;
    }
  }
}
