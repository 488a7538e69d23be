package io.planetexporter.map;

import static java.util.Objects.requireNonNull;

import io.planetexporter.fetch.FetchAuth;
import java.net.URI;

/**
 * How planet-map reaches Prometheus, and how much of its answers it takes.
 *
 * @param url base URL of the HTTP API; a {@code user:password@} in it is sent as basic auth
 * @param auth the basic-auth user and password file or the bearer token file, read at each request
 *     (its TLS context is unused: {@code tls} holds the files, re-read when they change)
 * @param tls the CA and client certificate files
 * @param maxResponseBytes the most one answer may be, read as it arrives
 * @param maxSeries the most series one map request may take, all its queries together
 */
record PrometheusSettings(
    URI url, FetchAuth auth, PrometheusTls tls, long maxResponseBytes, int maxSeries) {

  /** 64 MiB: five times the whole map of 10,000 hosts over the raw series (13 MB in all). */
  static final long DEFAULT_MAX_RESPONSE_BYTES = 64L << 20;

  /**
   * 250,000: the whole map of bench/map.sh's 10,000 hosts (15,000 edges, each seen from both ends,
   * their bytes in both directions) is about 90,000 by that count (not measured).
   */
  static final int DEFAULT_MAX_SERIES = 250_000;

  PrometheusSettings {
    requireNonNull(url, "url");
    requireNonNull(auth, "auth");
    requireNonNull(tls, "tls");
    if (maxResponseBytes <= 0 || maxSeries <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }
}
