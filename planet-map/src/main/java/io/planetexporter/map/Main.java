package io.planetexporter.map;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.fetch.Redaction;
import io.planetexporter.web.Logging;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * planet-map: {@code java -cp 'lib/*' io.planetexporter.map.Main [flags]}.
 *
 * <p>Exit status: 0 after {@code -h} or a SIGTERM/SIGINT; 2 on bad flags (one line on stderr); 1
 * when the listen address cannot be bound.
 */
public final class Main {

  private static final Logger logger = Logger.getLogger(Main.class.getName());

  private Main() {}

  public static void main(String[] args) {
    Optional<MapSettings> parsed;
    try {
      parsed = MapCommandLine.parse(List.of(args));
    } catch (ConfigurationException e) {
      System.err.println("planet-map: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (parsed.isEmpty()) {
      System.out.print(MapCommandLine.help());
      System.out.flush();
      return;
    }
    MapSettings settings = parsed.get();
    Logging.configure(settings.log(), System.err, System.console() != null);
    InetSocketAddress address =
        settings.listenHost().isEmpty()
            ? new InetSocketAddress(settings.listenPort())
            : new InetSocketAddress(settings.listenHost(), settings.listenPort());
    GraphService graphs;
    try {
      graphs =
          new GraphService(
              new PrometheusClient(settings.prometheus(), settings.queryTimeout()),
              settings.queryTimeout(),
              settings.prometheus().maxSeries());
    } catch (ConfigurationException e) {
      // A TLS file read at start-up changed since the flags were checked.
      System.err.println("planet-map: " + e.getMessage());
      System.exit(2);
      return;
    }
    Optional<FleetGraph> fleet =
        settings.fleetInterval().isZero()
            ? Optional.empty()
            : Optional.of(
                FleetGraph.start(
                    graphs,
                    settings.fleetRange(),
                    settings.fleetInterval(),
                    settings.queryTimeout()));
    MapServer server;
    try {
      server =
          MapServer.start(address, graphs, fleet, settings.web(), settings.connectionsPerAddress());
    } catch (IOException e) {
      logger.log(Level.SEVERE, "cannot serve HTTP on " + address, e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  fleet.ifPresent(FleetGraph::close);
                },
                "shutdown"));
    logger.log(
        Level.INFO,
        "listening",
        new Object[] {
          "scheme",
          settings.web().tls().isPresent() ? "https" : "http",
          "address",
          server.address().getHostString() + ":" + server.address().getPort(),
          "prometheus",
          Redaction.uri(settings.prometheus().url())
        });
  }
}
