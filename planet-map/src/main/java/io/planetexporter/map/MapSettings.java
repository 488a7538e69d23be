package io.planetexporter.map;

import static java.util.Objects.requireNonNull;

import io.planetexporter.web.LogSettings;
import io.planetexporter.web.WebSecurity;
import java.net.URI;
import java.time.Duration;

/**
 * planet-map's validated configuration.
 *
 * @param prometheusUrl base URL of the Prometheus HTTP API
 * @param listenHost host part of -listen-address, empty for every interface
 * @param listenPort port part of -listen-address, 0 for a free one
 * @param queryTimeout deadline of one map request
 * @param web TLS, basic auth and headers of -web.config.file ({@link WebSecurity#NONE} without)
 * @param log how to log
 */
record MapSettings(
    URI prometheusUrl,
    String listenHost,
    int listenPort,
    Duration queryTimeout,
    WebSecurity web,
    LogSettings log) {

  MapSettings {
    requireNonNull(prometheusUrl, "prometheusUrl");
    requireNonNull(listenHost, "listenHost");
    requireNonNull(queryTimeout, "queryTimeout");
    requireNonNull(web, "web");
    requireNonNull(log, "log");
  }
}
