package io.planetexporter.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A process that moves exact numbers of bytes over TCP on command, one per stdin line, holding its
 * sockets until stdin ends. Answers {@code ok} or {@code error <why>} per line. Run by {@link
 * NetlinkBytesNetnsIT} and {@link EdgeHealthNetnsIT} under a chosen name inside a network
 * namespace.
 *
 * <ul>
 *   <li>{@code serve <ip> <port> <a> <b>}: listens; on each connection reads a bytes, writes b,
 *       reads to the end and closes (after the client, which closes first).
 *   <li>{@code hold <ip> <port> <a> <b>}: connects, writes a bytes, reads b, keeps the connection.
 *   <li>{@code exchange <ip> <port> <a> <b> <n>}: n connections one after the other, each writing a
 *       bytes, reading b and closing.
 *   <li>{@code backlog <ip> <port> <a> 0}: listens with a backlog of a, and never accepts.
 * </ul>
 */
public final class ByteExchangeHelper {

  private ByteExchangeHelper() {}

  public static void main(String[] args) throws IOException {
    List<AutoCloseable> held = new ArrayList<>();
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.trim().split(" ");
      try {
        InetSocketAddress address =
            new InetSocketAddress(InetAddress.getByName(words[1]), Integer.parseInt(words[2]));
        int a = Integer.parseInt(words[3]);
        int b = Integer.parseInt(words[4]);
        switch (words[0]) {
          case "serve" -> held.add(serve(address, a, b));
          case "backlog" -> {
            ServerSocket unaccepting = new ServerSocket();
            unaccepting.bind(address, a);
            held.add(unaccepting);
          }
          case "hold" ->
              held.add(exchange(new Socket(address.getAddress(), address.getPort()), a, b));
          case "exchange" -> {
            for (int i = Integer.parseInt(words[5]); i > 0; i--) {
              exchange(new Socket(address.getAddress(), address.getPort()), a, b).close();
            }
          }
          default -> throw new IllegalArgumentException("unknown command " + words[0]);
        }
        out.println("ok");
      } catch (IOException | RuntimeException e) {
        out.println("error " + e);
      }
    }
  }

  private static Socket exchange(Socket socket, int a, int b) throws IOException {
    socket.getOutputStream().write(new byte[a]);
    if (socket.getInputStream().readNBytes(b).length != b) {
      throw new IOException("the server sent less than " + b + " bytes");
    }
    return socket;
  }

  private static ServerSocket serve(InetSocketAddress address, int a, int b) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(address, 100);
    Thread acceptor =
        new Thread(
            () -> {
              try {
                while (true) {
                  Socket accepted = server.accept();
                  Thread answer = new Thread(() -> answer(accepted, a, b));
                  answer.setDaemon(true);
                  answer.start();
                }
              } catch (IOException ignored) {
                // closed
              }
            });
    acceptor.setDaemon(true);
    acceptor.start();
    return server;
  }

  private static void answer(Socket accepted, int a, int b) {
    try (accepted) {
      accepted.getInputStream().readNBytes(a);
      accepted.getOutputStream().write(new byte[b]);
      accepted.getInputStream().transferTo(OutputStream.nullOutputStream());
    } catch (IOException ignored) {
      // the client went away: nothing to answer
    }
  }
}
