package io.planetexporter.server;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.planetexporter.api.ConfigurationException;
import io.planetexporter.collector.Crew;
import io.planetexporter.web.ExactPath;
import io.planetexporter.web.Guard;
import io.planetexporter.web.HealthyHandler;
import io.planetexporter.web.ServerLimits;
import io.planetexporter.web.WebSecurity;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.HttpErrorHandlingPolicy;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The HTTP(S) server: one handler per endpoint ({@code /metrics}, {@code /}, {@code /-/healthy},
 * {@code /-/ready}), each behind the same filters: {@link Guard}, the web config's {@link
 * RateLimitFilter} and {@link BasicAuthFilter} when it has them, then {@link ExactPath}. Any other
 * path is 404, after authentication.
 *
 * <p>It is the JDK's server with client_java's {@link MetricsHandler} mounted on it, built from
 * explicit {@link PrometheusProperties}: client_java's own {@code HTTPServer} lets environment
 * variables and system properties override the port and answers every path with 200.
 *
 * <p>No client can stall it: planet-web's {@link ServerLimits} (deadlines, an elastic pool that
 * closes what it cannot take), and scrapes bounded by {@link MetricsEndpoint}.
 */
final class ExporterServer implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(ExporterServer.class.getName());
  private static final int STOP_GRACE_SECONDS = 5;

  static {
    ServerLimits.applyDeadlines();
  }

  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final AtomicInteger inFlight;

  private ExporterServer(HttpServer server, ThreadPoolExecutor executor, AtomicInteger inFlight) {
    this.server = server;
    this.executor = executor;
    this.inFlight = inFlight;
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

  /** Binds the address and starts serving, over https when the web config has TLS. */
  static ExporterServer start(
      InetSocketAddress address,
      WebSecurity web,
      PrometheusProperties properties,
      PrometheusRegistry registry,
      Crew crew,
      BuildInfo build)
      throws IOException {
    HttpServer server = web.createServer(address, 128);
    ThreadPoolExecutor executor = ServerLimits.executor();
    AtomicInteger inFlight = new AtomicInteger();
    List<Filter> filters = new ArrayList<>();
    filters.add(new Guard(web.headers(), inFlight));
    filters.addAll(web.filters());
    mount(server, "/metrics", filters, new MetricsEndpoint(metricsHandler(properties, registry)));
    mount(server, "/-/healthy", filters, new HealthyHandler());
    mount(server, "/-/ready", filters, new ReadyHandler(crew));
    mount(server, "/", filters, new LandingPage(crew, build));
    server.setExecutor(executor);
    server.start();
    return new ExporterServer(server, executor, inFlight);
  }

  private static void mount(
      HttpServer server, String path, List<Filter> filters, HttpHandler handler) {
    HttpContext context = server.createContext(path, handler);
    context.getFilters().addAll(filters);
    context.getFilters().add(new ExactPath(path));
  }

  private static MetricsHandler metricsHandler(
      PrometheusProperties properties, PrometheusRegistry registry) {
    return new MetricsHandler(
        properties,
        registry,
        HttpErrorHandlingPolicy.builder()
            .unsafeDebugResponse(false)
            .errorReporter(
                e -> {
                  LogRecord record = new LogRecord(Level.WARNING, "scrape failed");
                  record.setThrown(e);
                  record.setLoggerName(logger.getName());
                  logger.log(record);
                })
            .build());
  }

  /** The bound address, with the actual port. */
  InetSocketAddress address() {
    return server.getAddress();
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
    // The JDK 17 server's stop(n) waits the whole n seconds unless an exchange ends meanwhile.
    server.stop(inFlight.get() > 0 ? STOP_GRACE_SECONDS : 0);
    executor.shutdown();
    try {
      executor.awaitTermination(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
