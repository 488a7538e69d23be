package io.planetexporter.server;

import io.planetexporter.api.HostIdentity;
import io.planetexporter.collector.Crew;
import io.planetexporter.net.IpAddress;
import io.planetexporter.web.WebFront;
import io.planetexporter.web.WebSecurity;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/** Starts an {@link ExporterServer} on a free loopback port, with no task. */
final class TestServers {

  private TestServers() {}

  /** The server and the crew behind it; closing closes both. */
  record Running(ExporterServer server, Crew crew) implements AutoCloseable {

    int port() {
      return server.address().getPort();
    }

    @Override
    public void close() {
      server.close();
      crew.close();
    }
  }

  static Running start(WebSecurity web, PrometheusRegistry registry) throws Exception {
    Crew crew =
        Crew.create(
            List.of(),
            new HostIdentity("h", IpAddress.parse("127.0.0.1"), Set.of()),
            Clock.systemUTC());
    try {
      return new Running(
          ExporterServer.start(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
              web,
              WebFront.CONNECTIONS_PER_ADDRESS,
              ExporterServer.prometheusProperties(),
              registry,
              crew,
              new BuildInfo("1", "r", "b", "17")),
          crew);
    } catch (IOException | RuntimeException e) {
      crew.close();
      throw e;
    }
  }
}
