package io.planetexporter.task.socketstat;

/** Whether the kernel lets this test JVM join the sock_diag destroy groups. */
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
