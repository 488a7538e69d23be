package io.planetexporter.server;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.GoDuration;
import io.planetexporter.api.HostIdentity;
import io.planetexporter.collector.Crew;
import io.planetexporter.collector.HostIdentityResolver;
import io.planetexporter.web.WebSecurity;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/** The running program: the crew of tasks behind the HTTP server. */
final class Exporter implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(Exporter.class.getName());
  // How often the host identity is read again: a new DHCP lease or default route shows within it.
  static final Duration HOST_REFRESH = Duration.ofMinutes(1);

  private final Crew crew;
  private final ExporterServer server;

  private Exporter(Crew crew, ExporterServer server) {
    this.crew = crew;
    this.server = server;
  }

  /**
   * Creates the tasks, binds the listen address, then starts the tasks.
   *
   * @throws ConfigurationException when a task rejects its configuration, the listen host does not
   *     resolve or client_java refuses the environment; nothing is left running
   * @throws IOException when the address cannot be bound; nothing is left running
   */
  static Exporter start(Settings settings, BuildInfo build, Clock clock)
      throws ConfigurationException, IOException {
    InetSocketAddress address =
        settings.listenHost().isEmpty()
            ? new InetSocketAddress(settings.listenPort())
            : new InetSocketAddress(settings.listenHost(), settings.listenPort());
    if (address.isUnresolved()) {
      throw new ConfigurationException(
          "-listen-address: cannot resolve host \"" + settings.listenHost() + "\"");
    }
    PrometheusProperties properties = ExporterServer.prometheusProperties();
    // Before any task exists: a bad web config is one line and exit 2, and the JVM-wide TLS
    // settings it may make come before the tasks' first TLS connection.
    WebSecurity web =
        settings.webConfigFile().isPresent()
            ? WebSecurity.load(settings.webConfigFile().get())
            : WebSecurity.NONE;
    HostIdentity host = HostIdentityResolver.resolve(settings.primaryIp());
    // Created before anything is logged: a task refusing its configuration is one line, exit 2.
    Crew crew = Crew.create(settings.tasks(), host, clock);
    logger.log(
        Level.INFO,
        "starting planet-exporter",
        new Object[] {
          "version", build.version(),
          "revision", build.revision(),
          "hostname", host.hostname(),
          "primary_ip", host.primaryAddress().toString(),
          "tasks",
              settings.tasks().stream()
                  .map(t -> t.name() + "/" + GoDuration.format(t.config().interval()))
                  .collect(Collectors.joining(","))
        });
    ExporterServer server;
    try {
      PrometheusRegistry registry = new PrometheusRegistry();
      registry.register(crew.collector(MetricSnapshots.of(build.metric())));
      server =
          ExporterServer.start(
              address, web, settings.connectionsPerAddress(), properties, registry, crew, build);
    } catch (IOException e) {
      crew.close();
      throw new IOException("cannot listen on " + ExporterServer.format(address), e);
    } catch (RuntimeException e) {
      crew.close();
      throw e;
    }
    crew.followHost(() -> HostIdentityResolver.resolve(settings.primaryIp()), HOST_REFRESH);
    crew.whenReady(Exporter::returnFirstRunsMemory);
    crew.start();
    logger.log(
        Level.INFO,
        "listening",
        new Object[] {
          "address", ExporterServer.format(server.address()),
          "tls", web.tls().isPresent(),
          "basic_auth", web.users().isPresent()
        });
    return new Exporter(crew, server);
  }

  /**
   * One full GC once every task has run: the first runs need the most (socketstat keeps every
   * socket until the walk finds its process; later runs keep only new ones), and later runs leave
   * so little in the old generation that a full GC, which gives unused heap back (at once, with the
   * launcher's {@code -XX:-ShrinkHeapInSteps}), may not come for hours: the heap stayed as large as
   * the first runs left it, 3-6 MiB of RSS more at 80,000 sockets (BENCHMARKS.md).
   */
  private static void returnFirstRunsMemory() {
    System.gc();
  }

  InetSocketAddress address() {
    return server.address();
  }

  /** Stops accepting, finishes the scrapes in flight, then stops the tasks. */
  @Override
  public void close() {
    server.close();
    crew.close();
  }
}
