package io.planetexporter.dist;

import static io.planetexporter.testfixtures.TestHttpClient.basic;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.testfixtures.Distribution;
import io.planetexporter.testfixtures.ExporterProcess;
import io.planetexporter.testfixtures.HttpAttack;
import io.planetexporter.testfixtures.HttpAttack.Stall;
import io.planetexporter.testfixtures.TestHttpClient;
import io.planetexporter.testfixtures.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 20's attack on both programs from the tarball, plain http and mutual TLS with basic auth:
 * stalled connections (half a request, half a TLS handshake, nothing), opened again as fast as the
 * server closes them, and clients reading a large page at 100 bytes/s, while another client's
 * {@code /-/healthy} and {@code /metrics} (planet-map: a 700 KB script) must answer 200 within a
 * second (or three times what the same client took just before with no attack, on a machine too
 * loaded to answer within a second at all), with fewer than 100 threads and RSS under 150 MiB
 * (planet-map's launcher runs C1 only for it: docs/http-front.md). The short form runs in {@code
 * mvn verify}; {@code bench/http-front.sh} runs the same with issue 20's figures (2,000 stalled
 * connections, 8 slow readers, a minute) through the system properties {@code httpfront.stalled},
 * {@code httpfront.slowReaders} and {@code httpfront.seconds}. Every figure is printed ({@code
 * HttpFrontIT: ...}).
 */
@Timeout(600)
class HttpFrontIT {

  private static final int STALLED = Integer.getInteger("httpfront.stalled", 300);
  private static final int SLOW_READERS = Integer.getInteger("httpfront.slowReaders", 6);
  private static final int SECONDS = Integer.getInteger("httpfront.seconds", 5);
  private static final Duration ANSWER = Duration.ofSeconds(1);
  private static final long MAX_THREADS = 100;
  private static final long MAX_RSS_KIB = 150 * 1024;
  private static final String PASSWORD = "correct horse";
  private static final String SCRIPT = "/webjars/vis-network/standalone/umd/vis-network.min.js";

  private static Path dir;
  private static SSLContext client;
  private static Path darkstat;

  @BeforeAll
  static void files() throws IOException {
    dir = Files.createTempDirectory("planet-front-");
    client = TestPki.writeServerAndClient(dir);
    Files.writeString(
        dir.resolve("web.yml"),
        """
        tls_server_config:
          cert_file: server.crt
          key_file: server.key
          client_ca_file: ca.crt
          client_auth_type: RequireAndVerifyClientCert
        basic_auth_users:
          prometheus: '%s'
        """
            .formatted(Command.bcrypt(dir, "prometheus", PASSWORD)));
    // About 2 MB of /metrics: 10,000 series of planet_traffic_bytes_total and their labels.
    darkstat = HeavyInputs.darkstat(dir.resolve("darkstat.txt"), 5_000).file();
  }

  @AfterAll
  static void clean() throws IOException {
    Distribution.deleteRecursively(dir);
  }

  /** One program under attack, and how to ask it. */
  private record Target(ExporterProcess process, boolean tls, String large) {

    InetSocketAddress address() {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), process.port());
    }

    URI uri(String path) {
      return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + process.port() + path);
    }

    String[] headers() {
      return tls ? new String[] {"Authorization", basic("prometheus:" + PASSWORD)} : new String[0];
    }

    TestHttpClient http() {
      return (tls ? TestHttpClient.trusting(client) : TestHttpClient.create())
          .timeout(Duration.ofSeconds(10));
    }

    SocketFactory sockets() {
      return tls ? client.getSocketFactory() : SocketFactory.getDefault();
    }

    String request(String path) {
      return "GET "
          + path
          + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + (tls ? "Authorization: " + basic("prometheus:" + PASSWORD) + "\r\n" : "")
          + "\r\n";
    }
  }

  private static ExporterProcess exporter(boolean tls) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-primary-ip",
                HeavyInputs.LOCAL_IP,
                "-task-socketstat-enabled=false",
                "-task-darkstat-enabled",
                "-task-darkstat-addr",
                darkstat.toUri().toString(),
                "-task-darkstat-interval",
                "1h"));
    if (tls) {
      args.add("-web.config.file=" + dir.resolve("web.yml"));
    }
    return ExporterProcess.start(args.toArray(new String[0]));
  }

  private static ExporterProcess map(boolean tls) {
    List<String> args = new ArrayList<>(List.of("-prometheus-url", "http://127.0.0.1:9/"));
    if (tls) {
      args.add("-web.config.file=" + dir.resolve("web.yml"));
    }
    return ExporterProcess.builder()
        .program("planet-map")
        .args(args.toArray(new String[0]))
        .start();
  }

  @Test
  void exporterOverPlainHttp() throws Exception {
    try (ExporterProcess exporter = exporter(false)) {
      attack("exporter http", new Target(exporter, false, "/metrics"), Stall.HALF_REQUEST);
    }
  }

  @Test
  void exporterOverMutualTlsWithBasicAuth() throws Exception {
    try (ExporterProcess exporter = exporter(true)) {
      attack("exporter mTLS", new Target(exporter, true, "/metrics"), Stall.HALF_HANDSHAKE);
    }
  }

  @Test
  void mapOverPlainHttp() throws Exception {
    try (ExporterProcess map = map(false)) {
      attack("map http", new Target(map, false, SCRIPT), Stall.HALF_REQUEST);
    }
  }

  @Test
  void mapOverMutualTlsWithBasicAuth() throws Exception {
    try (ExporterProcess map = map(true)) {
      attack("map mTLS", new Target(map, true, SCRIPT), Stall.HALF_HANDSHAKE);
    }
  }

  private static void attack(String name, Target target, Stall stall) throws Exception {
    TestHttpClient http = target.http();
    int size = awaitLarge(http, target);
    // The same checks with no attack first: the bound is a second, or three times what this
    // machine takes unattacked when it is that loaded.
    Duration baseline = checks(http, target, 3).worst();
    Duration bound =
        baseline.multipliedBy(3).compareTo(ANSWER) > 0 ? baseline.multipliedBy(3) : ANSWER;
    long idleRss = status(target.process().pid(), "VmRSS");
    long idleThreads = status(target.process().pid(), "Threads");
    try (HttpAttack attack =
        HttpAttack.on()
            .stall(target.address(), STALLED / 2, stall, 1, 50)
            .stall(target.address(), STALLED - STALLED / 2, Stall.SILENT, 2, 50)
            .slowReaders(
                target.address(),
                SLOW_READERS,
                target.sockets(),
                target.request(target.large()),
                100,
                3)) {
      // The slow readers' pages rendered and trickling: from here on they hold no render slot.
      long started = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (attack.slowBytes() < SLOW_READERS * 100L && System.nanoTime() < started) {
        Thread.sleep(100);
      }
      assertThat(attack.slowBytes()).as("bytes the slow readers got").isGreaterThan(0);
      long peakThreads = 0;
      long peakRss = 0;
      Checks attacked = new Checks(0, Duration.ZERO);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
      while (System.nanoTime() < end) {
        attacked = attacked.and(checks(http, target, 1));
        assertThat(attacked.worst()).as(name).isLessThan(bound);
        peakThreads = Math.max(peakThreads, status(target.process().pid(), "Threads"));
        peakRss = Math.max(peakRss, status(target.process().pid(), "VmRSS"));
        Thread.sleep(200);
      }
      System.out.printf(
          "HttpFrontIT: %s: %d stalled (%s and silent; %d opened in all), %d slow readers of %d"
              + " bytes at 100 B/s (%d bytes read): %d checks of /-/healthy and %s, worst %d ms"
              + " (unattacked %d ms); threads %d idle, %d peak; RSS %d KiB idle, %d KiB peak%n",
          name,
          STALLED,
          stall,
          attack.opened(),
          SLOW_READERS,
          size,
          attack.slowBytes(),
          attacked.count(),
          target.large(),
          attacked.worst().toMillis(),
          baseline.toMillis(),
          idleThreads,
          peakThreads,
          idleRss,
          peakRss);
      assertThat(attack.opened()).isGreaterThanOrEqualTo(STALLED);
      assertThat(peakThreads).as("threads").isLessThan(MAX_THREADS);
      assertThat(peakRss).as("RSS, KiB").isLessThan(MAX_RSS_KIB);
    }
    // The slow readers went away mid-response: counted (the exporter) and never a warning. A
    // reader's TLS socket may close without a reset, its window still shut: the server then learns
    // of it by the idle timeout (10 s), hence the 20 s (10 s missed it once in a loaded build).
    if (target.large().equals("/metrics")) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      String aborted = "";
      while (!aborted.matches("(?s).*planet_http_aborted_responses_total [1-9].*")
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
        aborted =
            http.get(
                    target.uri("/metrics?name[]=planet_http_aborted_responses_total"),
                    target.headers())
                .body();
      }
      assertThat(aborted).containsPattern("planet_http_aborted_responses_total [1-9]");
    }
    assertThat(target.process().stderr())
        .doesNotContain("Broken pipe")
        .doesNotContain("Connection reset")
        .doesNotContain("EofException")
        .doesNotContain("\tat ");
  }

  /** How many checks answered 200, and the slowest. */
  private record Checks(int count, Duration worst) {
    Checks and(Checks more) {
      return new Checks(count + more.count, worst.compareTo(more.worst) > 0 ? worst : more.worst);
    }
  }

  /** {@code rounds} times a GET of /-/healthy and of the large page, each of which must be 200. */
  private static Checks checks(TestHttpClient http, Target target, int rounds) throws Exception {
    Checks checks = new Checks(0, Duration.ZERO);
    for (int i = 0; i < rounds; i++) {
      for (String path : new String[] {"/-/healthy", target.large()}) {
        long start = System.nanoTime();
        HttpResponse<byte[]> response = http.getBytes(target.uri(path), target.headers());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        checks = checks.and(new Checks(1, took));
      }
    }
    return checks;
  }

  /** The large page's size, once it is large: the exporter's darkstat run may still be going. */
  private static int awaitLarge(TestHttpClient http, Target target) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      int size = http.getBytes(target.uri(target.large()), target.headers()).body().length;
      if (size > 500_000 || System.nanoTime() > deadline) {
        assertThat(size).as("the large page").isGreaterThan(500_000);
        return size;
      }
      Thread.sleep(250);
    }
  }

  @Test
  void closesAnIdleKeepAliveConnectionAfterTenSecondsAndCapsConnectionsPerAddressAsTold()
      throws Exception {
    // The default cap (64) is WebFrontTest's and ExporterServerTest's; this one is the flag's.
    try (ExporterProcess exporter =
        ExporterProcess.start(
            "-task-socketstat-enabled=false", "-web.max-connections-per-address=40")) {
      InetSocketAddress address =
          new InetSocketAddress(InetAddress.getLoopbackAddress(), exporter.port());
      List<Socket> sockets = new ArrayList<>();
      try {
        InetAddress greedy = InetAddress.getByName("127.4.0.1");
        for (int i = 0; i < 80; i++) {
          Socket socket = new Socket();
          socket.bind(new InetSocketAddress(greedy, 0));
          socket.connect(address);
          sockets.add(socket);
        }
        Thread.sleep(1000);
        long open = sockets.stream().filter(HttpAttack::leftOpen).count();
        System.out.printf(
            "HttpFrontIT: 80 connections from one address, at most 40: %d left open%n", open);
        assertThat(open).isEqualTo(40);
      } finally {
        for (Socket socket : sockets) {
          socket.close();
        }
      }
      try (Socket kept = new Socket()) {
        kept.connect(address);
        kept.getOutputStream()
            .write("GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(US_ASCII));
        kept.setSoTimeout(30_000);
        InputStream in = kept.getInputStream();
        String answer = new String(in.readNBytes(12), US_ASCII);
        long start = System.nanoTime();
        while (in.read() != -1) {
          // the rest of the answer, then the close
        }
        Duration idle = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf(
            "HttpFrontIT: an idle keep-alive connection closed after %d ms%n", idle.toMillis());
        assertThat(answer).isEqualTo("HTTP/1.1 200");
        assertThat(idle).isBetween(Duration.ofMillis(9_500), Duration.ofSeconds(13));
      }
    }
  }

  /** Whether the server has left the connection open (no EOF, no reset within 50 ms). */
  private static long status(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new IllegalStateException("no " + field + " for " + pid);
  }
}
