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

/**
 * The context of a socketstat task reading {@code procRoot} (and its socket source), on a host
 * whose IP is given.
 */
record TestContext(TaskConfig config, Inventory inventory, HostIdentity host)
    implements TaskContext {

  static TestContext of(String procRoot, String primaryIp, Inventory inventory) {
    return of(procRoot, "auto", primaryIp, inventory);
  }

  /** With {@code -task-socketstat-source} set to {@code source}. */
  static TestContext of(String procRoot, String source, String primaryIp, Inventory inventory) {
    try {
      return new TestContext(
          TaskConfig.of(
              Map.of(
                  "proc-root",
                  procRoot,
                  "source",
                  source,
                  "bytes",
                  true,
                  "edge-retention",
                  Duration.ofMinutes(10)),
              Duration.ofSeconds(7)),
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
