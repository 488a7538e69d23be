package io.planetexporter.task.socketstat;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.task.socketstat.netlink.NetlinkSocketSource;
import io.planetexporter.task.socketstat.proc.ProcNetSource;
import io.planetexporter.task.socketstat.table.SocketColumns;
import io.planetexporter.task.socketstat.table.SocketSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Picks the socket source that {@code -task-socketstat-source} asks for. */
final class SocketSources {

  private static final Logger logger = Logger.getLogger(SocketSources.class.getName());

  static final Path PROC = Path.of("/proc");

  private SocketSources() {}

  /**
   * The source for {@code option}: {@code netlink} (must answer now), {@code proc}, or {@code
   * auto}: netlink when it answers and the proc root is the real {@code /proc}, else proc, saying
   * which and why in one log line.
   */
  static SocketSource choose(String option, Path procRoot) throws ConfigurationException {
    ProcNetSource proc = new ProcNetSource(procRoot.resolve("net"));
    switch (option.toLowerCase(Locale.ROOT)) {
      case "proc":
        return proc;
      case "netlink":
        NetlinkSocketSource netlink = new NetlinkSocketSource();
        try {
          count(netlink);
        } catch (IOException e) {
          throw ConfigurationException.forOption(
              "source", "netlink: NETLINK_SOCK_DIAG does not answer: " + e.getMessage(), e);
        }
        return netlink;
      case "auto":
        return auto(procRoot, proc);
      default:
        throw ConfigurationException.forOption(
            "source", "\"" + option + "\" is not one of auto, netlink, proc");
    }
  }

  private static SocketSource auto(Path procRoot, ProcNetSource proc) {
    if (!procRoot.equals(PROC)) {
      logger.info(
          "socketstat reads /proc/net text: -task-socketstat-proc-root is "
              + procRoot
              + ", not the kernel's /proc");
      return proc;
    }
    NetlinkSocketSource netlink = new NetlinkSocketSource();
    try {
      logger.info(
          "socketstat reads netlink sock_diag dumps: it answered with "
              + count(netlink)
              + " sockets");
      return netlink;
    } catch (IOException e) {
      logger.log(
          Level.INFO,
          "socketstat reads /proc/net text: netlink sock_diag does not answer ("
              + e.getMessage()
              + ")",
          e);
      return proc;
    }
  }

  /** Reads the table once, keeping none of it: how many sockets it has. */
  private static int count(NetlinkSocketSource netlink) throws IOException {
    int[] sockets = {0};
    netlink.recycle(
        netlink.read(
            new SocketSource.TableParts() {
              @Override
              public void listeners(SocketColumns part) {
                sockets[0] += part.size();
              }

              @Override
              public void more(SocketColumns part) {
                sockets[0] += part.size();
              }
            }));
    return sockets[0];
  }
}
