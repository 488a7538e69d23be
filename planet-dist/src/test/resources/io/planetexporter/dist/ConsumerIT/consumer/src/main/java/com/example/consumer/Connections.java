package com.example.consumer;

import io.planetexporter.task.socketstat.HostDependencies;
import io.planetexporter.task.socketstat.HostDependencies.Dependency;
import io.planetexporter.task.socketstat.HostDependencies.Listener;
import io.planetexporter.task.socketstat.Socketstat;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

/**
 * {@code Connections}: opens a loopback connection, sends 1000 bytes and gets 2000 back, then prints
 * what socketstat reports of it (its port shown as PORT).
 */
public final class Connections {

  private Connections() {}

  public static void main(String[] args) throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (ServerSocket listener = new ServerSocket(0, 1, loopback);
        Socket client = new Socket(loopback, listener.getLocalPort());
        Socket server = listener.accept();
        Socketstat socketstat =
            Socketstat.builder()
                .source(Socketstat.Source.NETLINK)
                .namespaces(Socketstat.Namespaces.OWN)
                .primaryIp(InetAddress.getByName("198.18.0.1"))
                .build()) {
      client.getOutputStream().write(new byte[1000]);
      server.getInputStream().readNBytes(1000);
      server.getOutputStream().write(new byte[2000]);
      client.getInputStream().readNBytes(2000);
      int port = listener.getLocalPort();

      HostDependencies found = socketstat.read();
      // Sent bytes count once acked: read again until the last ACK is in.
      for (int i = 0; i < 100 && !settled(found.upstreams(), port); i++) {
        Thread.sleep(50);
        found = socketstat.read();
      }
      for (Listener l : found.listeners()) {
        if (l.port() == port) {
          System.out.println(
              "listener " + l.bind().replace(":" + port, ":PORT") + " " + l.protocol() + " "
                  + l.process());
        }
      }
      print("upstream", found.upstreams(), port);
      print("downstream", found.downstreams(), port);
    }
  }

  private static boolean settled(List<Dependency> dependencies, int port) {
    return dependencies.stream()
        .filter(d -> d.port() == port)
        .allMatch(d -> d.bytes().map(b -> b.sent() + b.received() == 3000).orElse(false));
  }

  private static void print(String direction, List<Dependency> dependencies, int port) {
    for (Dependency d : dependencies) {
      if (d.port() == port) {
        System.out.println(
            direction + " " + d.remoteAddress() + " PORT " + d.protocol() + " " + d.process()
                + d.bytes().map(b -> " sent " + b.sent() + " received " + b.received()).orElse(""));
      }
    }
  }
}
