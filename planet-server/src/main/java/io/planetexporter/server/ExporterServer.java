package io.planetexporter.server;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import io.planetexporter.api.ConfigurationException;
import io.planetexporter.collector.Crew;
import io.planetexporter.web.Endpoint;
import io.planetexporter.web.Routes;
import io.planetexporter.web.WebFront;
import io.planetexporter.web.WebSecurity;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The HTTP(S) server: {@code /metrics}, {@code /}, {@code /-/healthy} and {@code /-/ready} on
 * planet-web's {@link WebFront}, which puts the web config's rate limit, basic authentication and
 * headers in front of every path. Any other path is 404, after authentication.
 *
 * <p>{@code /metrics} is client_java's {@link PrometheusScrapeHandler}, built from explicit {@link
 * PrometheusProperties}: client_java's own {@code HTTPServer} lets environment variables and system
 * properties override the port, answers every path with 200, and gives every connection a thread
 * until its request has been read (the JDK's server beneath it does).
 */
final class ExporterServer implements AutoCloseable {

  private final WebFront front;

  private ExporterServer(WebFront front) {
    this.front = front;
  }

  /**
   * client_java's exporter settings, fixed here so that nothing outside changes them.
   *
   * @throws ConfigurationException when client_java refuses to load at all: the first use of {@link
   *     PrometheusProperties} reads {@code PROMETHEUS_CONFIG}, {@code IO_PROMETHEUS_*} variables
   *     and {@code io.prometheus.*} properties, and fails on a value it cannot read
   */
  static PrometheusProperties prometheusProperties() throws ConfigurationException {
    try {
      return PrometheusProperties.builder().build();
    } catch (ExceptionInInitializerError e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new ConfigurationException(
          "client_java cannot start with the PROMETHEUS_CONFIG, IO_PROMETHEUS_* or io.prometheus.*"
              + " settings of this environment (unset them): "
              + cause.getMessage(),
          e);
    }
  }

  /**
   * Binds the address and starts serving, over https when the web config has TLS, at most {@code
   * connectionsPerAddress} connections from one client address. Registers {@code
   * planet_http_aborted_responses_total} in {@code registry}.
   */
  static ExporterServer start(
      InetSocketAddress address,
      WebSecurity web,
      int connectionsPerAddress,
      PrometheusProperties properties,
      PrometheusRegistry registry,
      Crew crew,
      BuildInfo build)
      throws IOException {
    AbortedResponses aborted = new AbortedResponses();
    registry.register(aborted);
    Endpoint routes =
        Routes.builder()
            .exact(
                "/metrics", new MetricsEndpoint(new PrometheusScrapeHandler(properties, registry)))
            .exact("/-/healthy", Endpoint.HEALTHY)
            .exact("/-/ready", new ReadyHandler(crew))
            .exact("/", new LandingPage(crew, build))
            .build();
    return new ExporterServer(WebFront.start(address, web, routes, connectionsPerAddress, aborted));
  }

  /** The bound address, with the actual port. */
  InetSocketAddress address() {
    return front.address();
  }

  /** {@code host:port}, IPv6 hosts in brackets and in RFC 5952 form ({@code [::1]:19100}). */
  static String format(InetSocketAddress address) {
    return HostAndPort.fromParts(
            InetAddresses.toAddrString(address.getAddress()), address.getPort())
        .toString();
  }

  /** Stops accepting, lets the requests in flight finish (a few seconds at most), then stops. */
  @Override
  public void close() {
    front.close();
  }
}
