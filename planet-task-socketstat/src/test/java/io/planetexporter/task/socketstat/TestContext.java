package io.planetexporter.task.socketstat;

import io.planetexporter.api.HostIdentity;
import io.planetexporter.api.Inventory;
import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** The context of a socketstat task reading {@code procRoot}, on a host whose IP is given. */
record TestContext(TaskConfig config, Inventory inventory, HostIdentity host)
    implements TaskContext {

  static TestContext of(String procRoot, String primaryIp, Inventory inventory) {
    return of(procRoot, primaryIp, inventory, "all");
  }

  /** As {@link #of(String, String, Inventory)}, with {@code -task-socketstat-namespaces}. */
  static TestContext of(String procRoot, String primaryIp, Inventory inventory, String namespaces) {
    try {
      return new TestContext(
          TaskConfig.of(
              Map.of("proc-root", procRoot, "namespaces", namespaces), Duration.ofSeconds(7)),
          inventory,
          new HostIdentity("test-host", InetAddress.getByName(primaryIp), Set.of()));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(primaryIp, e);
    }
  }

  @Override
  public String taskName() {
    return "socketstat";
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }
}
