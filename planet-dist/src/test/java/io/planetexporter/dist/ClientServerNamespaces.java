package io.planetexporter.dist;

import static io.planetexporter.dist.SocketHelpers.ip;
import static io.planetexporter.dist.SocketHelpers.joinedNamespaces;
import static io.planetexporter.dist.SocketHelpers.runQuietly;

import java.io.IOException;
import java.util.Random;

/**
 * Two network namespaces, a client's and a server's, joined by a veth pair: {@code
 * 198.18.<subnet>.1} and {@code .2} (/24), loopback up in both. {@link #close()} deletes them, and
 * with them the veth pair and whatever firewall a test set up in them.
 *
 * @param clientNs {@code pe-<tag>c-<random>}
 * @param serverNs {@code pe-<tag>s-<random>}
 */
record ClientServerNamespaces(String clientNs, String serverNs, String clientIp, String serverIp)
    implements AutoCloseable {

  /**
   * Creates them, named after {@code tag} (one letter, so that the veth ends' names stay within the
   * kernel's 15 characters) and a random suffix; whatever was created is deleted on failure.
   */
  static ClientServerNamespaces create(String tag) throws Exception {
    Random random = new Random();
    String suffix = String.format("%06x", random.nextInt(1 << 24));
    int subnet = 1 + random.nextInt(250);
    ClientServerNamespaces namespaces =
        new ClientServerNamespaces(
            "pe-" + tag + "c-" + suffix,
            "pe-" + tag + "s-" + suffix,
            "198.18." + subnet + ".1",
            "198.18." + subnet + ".2");
    try {
      String clientEnd = "p" + tag + "c" + suffix;
      String serverEnd = "p" + tag + "s" + suffix;
      joinedNamespaces(namespaces.clientNs, clientEnd, namespaces.serverNs, serverEnd);
      for (String[] side :
          new String[][] {
            {namespaces.clientNs, clientEnd, namespaces.clientIp},
            {namespaces.serverNs, serverEnd, namespaces.serverIp}
          }) {
        ip("-n", side[0], "link", "set", "lo", "up");
        ip("-n", side[0], "addr", "add", side[2] + "/24", "dev", side[1]);
        ip("-n", side[0], "link", "set", side[1], "up");
      }
      return namespaces;
    } catch (Exception e) {
      namespaces.close();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    // Deleting a namespace deletes its veth end, and with it the other end.
    try {
      runQuietly("ip", "netns", "del", clientNs);
      runQuietly("ip", "netns", "del", serverNs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while deleting " + clientNs + " and " + serverNs, e);
    } catch (Exception e) {
      throw new IOException("cannot delete " + clientNs + " and " + serverNs, e);
    }
  }
}
