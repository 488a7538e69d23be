package io.planetexporter.map;

import io.planetexporter.api.ConfigurationException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The JDK HTTP client that asks Prometheus, built with {@link PrometheusTls}'s context. The JDK's
 * client keeps its TLS context for life, so when one of the files changes (looked at at most once a
 * second, when a request is sent) a new client is built from them: a rotated CA or client
 * certificate is used without a restart. A rotation that cannot be read keeps the previous client,
 * with a warning, until the files change again.
 */
final class PrometheusHttp {

  private static final Logger logger = Logger.getLogger(PrometheusHttp.class.getName());
  private static final long CHECK_NANOS = 1_000_000_000L;

  private record Current(String stamp, HttpClient client) {}

  private final PrometheusTls tls;
  private final Duration connectTimeout;
  private final Executor executor;
  private volatile Current current;
  private volatile long nextCheckNanos;

  /**
   * @throws ConfigurationException naming the flag of a TLS file that cannot be read or does not
   *     fit
   */
  PrometheusHttp(PrometheusTls tls, Duration connectTimeout, Executor executor)
      throws ConfigurationException {
    this.tls = tls;
    this.connectTimeout = connectTimeout;
    this.executor = executor;
    this.current = new Current(tls.stamp(), build());
    this.nextCheckNanos = System.nanoTime() + CHECK_NANOS;
  }

  HttpClient client() {
    long now = System.nanoTime();
    if (!tls.isEmpty() && now - nextCheckNanos >= 0) {
      synchronized (this) {
        if (now - nextCheckNanos >= 0) {
          nextCheckNanos = now + CHECK_NANOS;
          reloadIfChanged();
        }
      }
    }
    return current.client();
  }

  private void reloadIfChanged() {
    String stamp = tls.stamp();
    if (stamp.equals(current.stamp())) {
      return;
    }
    try {
      current = new Current(stamp, build());
      logger.log(Level.INFO, "reloaded the TLS files for Prometheus");
    } catch (ConfigurationException e) {
      current = new Current(stamp, current.client());
      logger.log(
          Level.WARNING,
          "cannot reload the TLS files for Prometheus, keeping the previous ones",
          new Object[] {"err", e.getMessage()});
    }
  }

  private HttpClient build() throws ConfigurationException {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            // HTTP/1.1 over TLS too, as over plain HTTP. Over the HTTP/2 that TLS negotiates, Java
            // 17's client left one request of a dozen waiting until its timeout when the server
            // refused the client certificate (TLS 1.3) and closed the connections (one run of
            // MapSecuredPrometheusIT in seven); over HTTP/1.1 each such request fails at once.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .executor(executor)
            .followRedirects(HttpClient.Redirect.NEVER);
    tls.context().ifPresent(builder::sslContext);
    return builder.build();
  }
}
