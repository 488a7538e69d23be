package io.planetexporter.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A process that opens sockets on command, one per stdin line, and holds them until stdin ends:
 * {@code listen tcp|udp <ip> <port>}, {@code connect tcp|udp <ip> <port>}. Answers {@code ok} or
 * {@code error <why>} per line. Run by {@link SocketstatNetnsIT} under a chosen name inside a
 * network namespace.
 */
public final class SocketHelper {

  private SocketHelper() {}

  public static void main(String[] args) throws IOException {
    List<AutoCloseable> held = Collections.synchronizedList(new ArrayList<>());
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.trim().split(" ");
      try {
        InetSocketAddress address =
            new InetSocketAddress(InetAddress.getByName(words[2]), Integer.parseInt(words[3]));
        held.add(open(words[0], words[1], address, held));
        out.println("ok");
      } catch (IOException | RuntimeException e) {
        out.println("error " + e);
      }
    }
  }

  private static AutoCloseable open(
      String verb, String protocol, InetSocketAddress address, List<AutoCloseable> held)
      throws IOException {
    switch (verb + " " + protocol) {
      case "listen tcp":
        ServerSocket server = new ServerSocket();
        server.bind(address);
        Thread acceptor =
            new Thread(
                () -> {
                  try {
                    while (true) {
                      Socket accepted = server.accept();
                      held.add(accepted);
                    }
                  } catch (IOException ignored) {
                    // closed
                  }
                });
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
      case "listen udp":
        return new DatagramSocket(address);
      case "connect tcp":
        return new Socket(address.getAddress(), address.getPort());
      case "connect udp":
        DatagramChannel channel = DatagramChannel.open();
        channel.connect(address);
        return channel;
      default:
        throw new IllegalArgumentException("unknown command " + verb + " " + protocol);
    }
  }
}
