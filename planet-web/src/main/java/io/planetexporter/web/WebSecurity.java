package io.planetexporter.web;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.GoDuration;
import io.planetexporter.web.WebConfigFile.HttpServerConfig;
import io.planetexporter.web.WebConfigFile.RateLimit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the {@code -web.config.file} asks of the server, read and checked once at startup. Public
 * for both programs, which serve with the same file format and behaviour: {@link #load}, then
 * {@link WebFront#start}.
 *
 * @param tls TLS, empty for plain http
 * @param users basic-auth users, empty for none
 * @param headers response headers added to every response
 * @param rateLimit the bucket of {@code rate_limit}, empty for none
 */
public record WebSecurity(
    Optional<ServerTls> tls,
    Optional<BasicAuthUsers> users,
    Map<String, String> headers,
    Optional<RateLimiter> rateLimit) {

  /** Without a web config file: plain http, no authentication, no extra header. */
  public static final WebSecurity NONE =
      new WebSecurity(Optional.empty(), Optional.empty(), Map.of(), Optional.empty());

  // The headers the toolkit allows, with the values it allows where it restricts them.
  private static final Map<String, Set<String>> HEADERS =
      Map.of(
          "Strict-Transport-Security", Set.of(),
          "X-Content-Type-Options", Set.of("nosniff"),
          "X-Frame-Options", Set.of("deny", "sameorigin"),
          "X-XSS-Protection", Set.of(),
          "Content-Security-Policy", Set.of());

  public WebSecurity {
    headers = Map.copyOf(headers);
  }

  /**
   * Reads the file: TLS certificates and keys, hashes, headers.
   *
   * @throws ConfigurationException with one line naming the key and the problem
   */
  public static WebSecurity load(Path file) throws ConfigurationException {
    WebConfigFile config = WebConfigFile.read(file);
    Path dir = file.toAbsolutePath().getParent();
    Optional<ServerTls> tls =
        config.tlsServerConfig() == null
            ? Optional.empty()
            : Optional.of(ServerTls.of(config.tlsServerConfig(), dir));
    Optional<BasicAuthUsers> users =
        config.basicAuthUsers() == null || config.basicAuthUsers().isEmpty()
            ? Optional.empty()
            : Optional.of(BasicAuthUsers.of(config.basicAuthUsers()));
    return new WebSecurity(
        tls, users, headers(config.httpServerConfig()), rateLimit(config.rateLimit()));
  }

  /**
   * {@code endpoint} behind what the file asks for, in order: the rate limit, then basic
   * authentication, on every path. (The response headers are the front's to add, to every
   * response.)
   */
  Endpoint guard(Endpoint endpoint) {
    Endpoint guarded = users.<Endpoint>map(u -> new BasicAuth(u, endpoint)).orElse(endpoint);
    return rateLimit.map(limit -> limit.guard(guarded)).orElse(guarded);
  }

  private static Map<String, String> headers(HttpServerConfig config)
      throws ConfigurationException {
    Map<String, String> headers = new LinkedHashMap<>();
    if (config == null || config.headers() == null) {
      return headers;
    }
    for (Map.Entry<String, String> header : config.headers().entrySet()) {
      String name = header.getKey();
      String value = header.getValue() == null ? "" : header.getValue();
      Set<String> allowed = HEADERS.get(name);
      if (allowed == null) {
        throw new ConfigurationException(
            "-web.config.file: http_server_config.headers."
                + name
                + ": not a header the toolkit allows (want one of "
                + String.join(", ", HEADERS.keySet().stream().sorted().toList())
                + ")");
      }
      if (value.isEmpty()) {
        continue; // "unset if blank"
      }
      if (!allowed.isEmpty() && !allowed.contains(value.toLowerCase(Locale.ROOT))) {
        throw new ConfigurationException(
            "-web.config.file: http_server_config.headers."
                + name
                + ": \""
                + value
                + "\" is not one of "
                + String.join(", ", allowed.stream().sorted().toList()));
      }
      headers.put(name, value);
    }
    return headers;
  }

  private static Optional<RateLimiter> rateLimit(RateLimit config) throws ConfigurationException {
    if (config == null || config.interval() == null) {
      return Optional.empty();
    }
    Duration interval;
    try {
      interval = GoDuration.parse(config.interval());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          "-web.config.file: rate_limit.interval: " + e.getMessage(), e);
    }
    if (interval.isZero()) {
      return Optional.empty();
    }
    int burst = config.burst() == null ? 0 : config.burst();
    if (interval.isNegative() || burst < 1) {
      throw new ConfigurationException(
          "-web.config.file: rate_limit: want an interval above 0s and a burst of at least 1");
    }
    return Optional.of(new RateLimiter(interval, burst));
  }
}
