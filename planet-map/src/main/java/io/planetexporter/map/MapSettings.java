package io.planetexporter.map;

import static java.util.Objects.requireNonNull;

import io.planetexporter.web.LogSettings;
import io.planetexporter.web.WebSecurity;
import java.time.Duration;

/**
 * planet-map's validated configuration.
 *
 * @param prometheus how to reach Prometheus, how much of its answers to take
 * @param listenHost host part of -listen-address, empty for every interface
 * @param listenPort port part of -listen-address, 0 for a free one
 * @param queryTimeout deadline of one map request
 * @param fleetInterval how often the whole fleet's graph is refreshed in the background; zero for
 *     none (every map asked of Prometheus at its request)
 * @param fleetRange the range of that graph
 * @param web TLS, basic auth and headers of -web.config.file ({@link WebSecurity#NONE} without)
 * @param connectionsPerAddress most open connections from one client address
 * @param log how to log
 */
record MapSettings(
    PrometheusSettings prometheus,
    String listenHost,
    int listenPort,
    Duration queryTimeout,
    Duration fleetInterval,
    Duration fleetRange,
    WebSecurity web,
    int connectionsPerAddress,
    LogSettings log) {

  MapSettings {
    requireNonNull(prometheus, "prometheus");
    requireNonNull(listenHost, "listenHost");
    requireNonNull(queryTimeout, "queryTimeout");
    requireNonNull(fleetInterval, "fleetInterval");
    requireNonNull(fleetRange, "fleetRange");
    requireNonNull(web, "web");
    requireNonNull(log, "log");
    if (connectionsPerAddress < 1) {
      throw new IllegalArgumentException("connectionsPerAddress below 1: " + connectionsPerAddress);
    }
  }
}
