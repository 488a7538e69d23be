package io.planetexporter.task.socketstat.proc;

import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.Socket;
import io.planetexporter.task.socketstat.table.SocketSource;
import io.planetexporter.task.socketstat.table.SocketTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The text tables {@code tcp, tcp6, udp, udp6} of one {@code net} directory: {@code /proc/net} for
 * the exporter's own namespace, {@code /proc/<pid>/net} for the namespace of process {@code pid}.
 * They carry no byte counters.
 */
public final class ProcNetSource implements SocketSource {

  private static final Logger logger = Logger.getLogger(ProcNetSource.class.getName());

  private static final List<TableFile> FILES =
      List.of(
          new TableFile("tcp", Protocol.TCP),
          new TableFile("tcp6", Protocol.TCP),
          new TableFile("udp", Protocol.UDP),
          new TableFile("udp6", Protocol.UDP));

  private final Path netDir;

  public ProcNetSource(Path netDir) {
    this.netDir = netDir;
  }

  /** All four files; one that does not exist (a kernel without IPv6) counts as empty. */
  @Override
  public SocketTable read() throws IOException {
    List<Socket> sockets = new ArrayList<>();
    int unparsable = 0;
    int found = 0;
    for (TableFile table : FILES) {
      Path file = netDir.resolve(table.name());
      try (InputStream in = Files.newInputStream(file)) {
        SocketTable read = ProcNetParser.parse(in, table.protocol());
        sockets.addAll(read.sockets());
        unparsable += read.unparsableLines();
        found++;
      } catch (NoSuchFileException e) {
        logger.log(Level.FINE, "no " + file, e);
      }
    }
    if (found == 0) {
      throw new IOException("no socket table under " + netDir + " (tcp, udp, ...)");
    }
    return new SocketTable(sockets, unparsable);
  }

  @Override
  public String name() {
    return "proc";
  }

  private record TableFile(String name, Protocol protocol) {}
}
