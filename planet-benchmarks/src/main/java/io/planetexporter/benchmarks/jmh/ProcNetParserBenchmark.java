package io.planetexporter.benchmarks.jmh;

import io.planetexporter.benchmarks.SyntheticProc;
import io.planetexporter.task.socketstat.proc.ProcNetParser;
import io.planetexporter.task.socketstat.table.Protocol;
import io.planetexporter.task.socketstat.table.SocketTable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * socketstat's {@code /proc/net/tcp} parser on a table in the kernel's exact format (149-character
 * lines): the bytes it gets through per second, reached through the public (internal, unsupported)
 * types of socketstat's {@code proc} and {@code table} packages.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProcNetParserBenchmark {
  /** 80,000 sockets: the table of 40,000 loopback connections, 12 MB. */
  @Param("80000")
  public int sockets;

  private byte[] table;

  @Setup
  public void setUp() {
    table = SyntheticProc.tcpTable(sockets);
  }

  /** Bytes parsed, reported by JMH per second next to the operations. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Bytes {
    public long bytes;
  }

  @Benchmark
  public SocketTable parse(Bytes counter) throws IOException {
    SocketTable result = ProcNetParser.parse(new ByteArrayInputStream(table), Protocol.TCP);
    counter.bytes += table.length;
    return result;
  }
}
