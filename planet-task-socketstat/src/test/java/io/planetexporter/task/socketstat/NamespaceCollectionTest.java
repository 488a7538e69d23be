package io.planetexporter.task.socketstat;

import static io.planetexporter.task.socketstat.SocketstatTaskTest.TCP_HEADER;
import static io.planetexporter.task.socketstat.SocketstatTaskTest.tcpLine;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import io.planetexporter.api.Inventory;
import io.planetexporter.net.IpAddress;
import io.planetexporter.task.socketstat.bytes.ByteCounting;
import io.planetexporter.task.socketstat.classify.EdgeLabels;
import io.planetexporter.task.socketstat.classify.KernelSettings;
import io.planetexporter.task.socketstat.classify.Labeler;
import io.planetexporter.task.socketstat.metrics.SocketstatResult;
import io.planetexporter.task.socketstat.owner.ProcFsProcessSource;
import io.planetexporter.task.socketstat.owner.SocketOwners;
import io.planetexporter.task.socketstat.owner.Workload;
import io.planetexporter.task.socketstat.proc.ProcNetSource;
import io.planetexporter.task.socketstat.runtime.RuntimeRoots;
import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.SocketColumns;
import io.planetexporter.task.socketstat.table.SocketSource;
import io.planetexporter.task.socketstat.table.SocketState;
import io.planetexporter.task.socketstat.table.SocketTable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collection that takes its sockets in parts, as the netlink source gives them: the same result
 * as the whole table, keeping only the sockets whose process is not known yet.
 */
class NamespaceCollectionTest {

  private static final String SSH = tcpLine("00000000:0016", "00000000:0000", 0x0A, 501);
  private static final String SSH_IN = tcpLine("0100000A:0016", "0900000A:9C40", 0x01, 502);
  private static final String SSH_TIME_WAIT = tcpLine("0100000A:0016", "0900000A:9C41", 0x06, 0);
  private static final String PSQL = tcpLine("0100000A:9C42", "0900000A:1538", 0x01, 601);
  private static final String NOBODYS = tcpLine("0100000A:9C43", "0900000A:1538", 0x01, 603);
  private static final String CURL = tcpLine("0100000A:9C44", "0900000A:01BB", 0x01, 602);
  private static final String WEB = tcpLine("00000000:1F90", "00000000:0000", 0x0A, 801);

  /** A listener no process holds (a kernel socket, or one of another PID namespace). */
  private static final String NOBODYS_LISTENER =
      tcpLine("00000000:07E8", "00000000:0000", 0x0A, 901);

  private static final String WEB_TIME_WAIT = tcpLine("0100000A:1F90", "0900000A:9C45", 0x06, 0);

  @TempDir Path root;
  private FakeProcTree proc;

  @BeforeEach
  void createTree() {
    proc =
        SocketstatTaskTest.sshPsqlAndDns(
            new FakeProcTree(root).file("sys/net/ipv4/ip_local_port_range", "32768\t60999\n"));
  }

  private void tcp(String... lines) {
    proc.file("net/tcp", TCP_HEADER + String.join("", lines));
  }

  /**
   * The proc table given as the netlink source gives its table: TCP listeners and UDP first, then
   * each other socket in a part of its own, one list cleared and filled again for each.
   */
  private static final class InParts implements SocketSource {
    private final ProcNetSource whole;
    int parts;

    InParts(Path procRoot) {
      whole = new ProcNetSource(procRoot.resolve("net"));
    }

    @Override
    public SocketTable read() throws IOException {
      throw new AssertionError("the task reads in parts");
    }

    @Override
    public SocketTable read(TableParts into) throws IOException {
      SocketColumns all = whole.read().sockets();
      SocketColumns listeners = new SocketColumns(16);
      for (int i = 0; i < all.size(); i++) {
        if (all.protocol(i) == Protocol.UDP || all.state(i) == SocketState.LISTEN) {
          listeners.add(all, i);
        }
      }
      into.listeners(listeners);
      SocketColumns part = new SocketColumns(1);
      for (int i = 0; i < all.size(); i++) {
        if (all.protocol(i) == Protocol.TCP && all.state(i) != SocketState.LISTEN) {
          part.clear();
          part.add(all, i);
          into.more(part);
          parts++;
        }
      }
      // A row kept by reference would now read as this one.
      part.clear();
      part.add(all, 0);
      return new SocketTable(listeners, 0);
    }

    @Override
    public String name() {
      return "parts";
    }
  }

  private SocketstatTask task(SocketSource source) throws Exception {
    Path none = root.resolve("no-runtime");
    return new SocketstatTask(
        root,
        source,
        SocketstatTaskTest.context(Map.of("proc-root", root.toString())),
        new ProcFsProcessSource(root),
        null,
        ByteCounting.start(new ByteCounting.Counted(false, false), source, Duration.ofMinutes(5)),
        new RuntimeRoots(none, none, none),
        false);
  }

  /** What a collection found, without its duration. */
  private static String found(SocketstatResult result) {
    return List.of(
            result.dependencies(),
            result.socketsByState(),
            result.unresolvedByProtocol(),
            result.owners(),
            result.namespaces())
        .toString();
  }

  @Test
  void findsWhatTheWholeTableGivesInEveryCollection() throws Exception {
    InParts inParts = new InParts(root);
    SocketstatTask streamed = task(inParts);
    SocketstatTask whole = task(new ProcNetSource(root.resolve("net")));
    // First every process is unknown; then the cache knows them all; then a new connection of a
    // new process; then a new listener, whose process names a downstream without one.
    String[][] rounds = {
      {SSH, SSH_IN, SSH_TIME_WAIT, PSQL, NOBODYS},
      {SSH, SSH_IN, SSH_TIME_WAIT, PSQL, NOBODYS},
      {SSH, SSH_IN, PSQL, CURL, NOBODYS},
      {SSH, WEB, SSH_IN, PSQL, CURL, WEB_TIME_WAIT, NOBODYS},
    };
    proc.process(41, "curl", 41, 602).process(42, "web", 42, 801);
    for (String[] round : rounds) {
      tcp(round);

      SocketstatResult expected = whole.collect();
      SocketstatResult result = streamed.collect();

      assertThat(found(result)).isEqualTo(found(expected));
    }
    assertThat(inParts.parts).isEqualTo(4 + 4 + 4 + 5);
    SocketstatResult last = streamed.collect();
    assertThat(
            last.dependencies().downstreams().stream()
                .map(EdgeLabels::processName)
                .sorted()
                .collect(Collectors.joining(",")))
        .isEqualTo("sshd,web");
    assertThat(last.unresolvedByProtocol()).isEqualTo(Map.of(Protocol.TCP, 1));
  }

  @Test
  void keepsOnlyTheSocketsWhoseProcessIsNotKnownYet() throws Exception {
    SocketOwners owners = new SocketOwners(new ProcFsProcessSource(root), UnaryOperator.identity());
    tcp(SSH, SSH_IN, SSH_TIME_WAIT, PSQL, NOBODYS);
    assertThat(collect(owners).waited()).as("first: every socket waits").isEqualTo(6);

    assertThat(collect(owners).waited())
        .as("a steady table: only the socket no process holds, looked for again")
        .isEqualTo(1);

    tcp(SSH, SSH_IN, SSH_TIME_WAIT, PSQL, CURL, NOBODYS);
    proc.process(41, "curl", 41, 602);
    assertThat(collect(owners).waited()).as("a new connection").isEqualTo(2);

    tcp(SSH, WEB, SSH_IN, WEB_TIME_WAIT, PSQL, CURL, NOBODYS);
    proc.process(42, "web", 42, 801);
    NamespaceCollection withNewListener = collect(owners);
    assertThat(withNewListener.waited()).as("a new listener: all of them").isEqualTo(8);
    assertThat(withNewListener.dependencies().downstreams())
        .extracting(EdgeLabels::processName)
        .containsExactlyInAnyOrder("sshd", "web");
  }

  @Test
  void aListenerThatNoWalkCanAttributeDoesNotKeepEverySocket() throws Exception {
    SocketOwners owners = new SocketOwners(new ProcFsProcessSource(root), UnaryOperator.identity());
    tcp(SSH, NOBODYS_LISTENER, SSH_IN, PSQL);
    assertThat(collect(owners).waited()).as("first: every socket waits").isEqualTo(5);

    assertThat(collect(owners).waited()).as("then only the listener itself").isEqualTo(1);
  }

  /** One collection of the proc tree's table in parts, with {@code owners} across collections. */
  private NamespaceCollection collect(SocketOwners owners) throws IOException {
    NamespaceCollection.Shared shared =
        new NamespaceCollection.Shared(
            KernelSettings.read(root),
            owners.begin(),
            ByteCounting.start(
                    new ByteCounting.Counted(false, false),
                    new InParts(root),
                    Duration.ofMinutes(5))
                .pass(Instant.EPOCH));
    NamespaceCollection collection =
        new NamespaceCollection(
            0,
            List.of(),
            List.of(),
            Workload.NONE,
            new Labeler(
                IpAddress.of(InetAddresses.forString("10.0.0.1")), Inventory.empty(), false),
            shared);
    collection.read(new InParts(root).read(collection));
    collection.finish(shared.owners().finish());
    return collection;
  }
}
