package io.planetexporter.map;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.GoDuration;
import io.planetexporter.api.OptionType;
import io.planetexporter.fetch.FetchAuth;
import io.planetexporter.fetch.Redaction;
import io.planetexporter.web.Flag;
import io.planetexporter.web.FlagCatalog;
import io.planetexporter.web.ListenAddress;
import io.planetexporter.web.LogSettings;
import io.planetexporter.web.OptionSources;
import io.planetexporter.web.OptionValue;
import io.planetexporter.web.WebFront;
import io.planetexporter.web.WebSecurity;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * planet-map's flags, read with the exporter's grammar ({@link OptionSources}): {@code -name
 * value}, {@code -name=value}, one or two dashes, durations in Go syntax, the same log levels; an
 * unknown flag or a bad value is one clear error. Flags only: no environment or config file.
 */
final class MapCommandLine {

  private static final Flag PROMETHEUS_URL =
      Flag.of(
          "prometheus-url",
          OptionType.STRING,
          "http://localhost:9090",
          "Base URL of the Prometheus HTTP API (or of Thanos, Mimir, VictoriaMetrics); a"
              + " user:password@ in it is sent as basic auth.");
  private static final Flag BASIC_AUTH_USERNAME =
      Flag.of(
          "prometheus-basic-auth-username",
          OptionType.STRING,
          "",
          "Basic-auth user for Prometheus, with -prometheus-basic-auth-password-file.");
  private static final Flag BASIC_AUTH_PASSWORD_FILE =
      Flag.of(
          "prometheus-basic-auth-password-file",
          OptionType.STRING,
          "",
          "File holding the basic-auth password for Prometheus, read at each request.");
  private static final Flag BEARER_TOKEN_FILE =
      Flag.of(
          "prometheus-bearer-token-file",
          OptionType.STRING,
          "",
          "File holding a bearer token sent to Prometheus as Authorization, read at each request.");
  private static final Flag TLS_CA_FILE =
      Flag.of(
          PrometheusTls.CA_FLAG.substring(1),
          OptionType.STRING,
          "",
          "PEM file of the CA(s) to trust for an https Prometheus instead of the JVM's trust"
              + " store; re-read when it changes.");
  private static final Flag TLS_CERT_FILE =
      Flag.of(
          PrometheusTls.CERT_FLAG.substring(1),
          OptionType.STRING,
          "",
          "PEM client certificate for an https Prometheus, with -prometheus-tls-key-file;"
              + " re-read when it changes.");
  private static final Flag TLS_KEY_FILE =
      Flag.of(
          PrometheusTls.KEY_FLAG.substring(1),
          OptionType.STRING,
          "",
          "PEM private key of -prometheus-tls-cert-file; re-read when it changes.");
  private static final Flag MAX_RESPONSE_SIZE =
      Flag.of(
          "prometheus-max-response-size",
          OptionType.BYTES,
          "64MiB",
          "Largest answer to one query, read as it arrives; a larger one fails the map request"
              + " (502).");
  private static final Flag MAX_SERIES =
      Flag.of(
          "prometheus-max-series",
          OptionType.INTEGER,
          Integer.toString(PrometheusSettings.DEFAULT_MAX_SERIES),
          "Most series one map request may read from Prometheus, all its queries together; more"
              + " fail it (422).");
  private static final Flag LISTEN_ADDRESS =
      Flag.of(
          "listen-address", OptionType.STRING, ":19200", "Address to serve the map on, host:port.");
  private static final Flag QUERY_TIMEOUT =
      Flag.of(
          "query-timeout",
          OptionType.DURATION,
          "10s",
          "Deadline of one map request, all its Prometheus queries included.");
  private static final Flag FLEET_GRAPH_INTERVAL =
      Flag.of(
          "fleet-graph-refresh-interval",
          OptionType.DURATION,
          "1m",
          "How often the whole fleet's graph is asked of Prometheus in the background (the rules'"
              + " evaluation interval); the whole-fleet map is served from it. 0s asks Prometheus"
              + " at each request instead.");
  private static final Flag FLEET_GRAPH_RANGE =
      Flag.of(
          "fleet-graph-range",
          OptionType.DURATION,
          GoDuration.format(Request.DEFAULT_RANGE),
          "Range of the whole fleet's graph kept in the background (the page's default range);"
              + " a whole-fleet map over another range is asked of Prometheus at the request.");
  private static final Flag WEB_CONFIG_FILE =
      Flag.of(
          "web.config.file",
          OptionType.STRING,
          "",
          "Exporter-toolkit web config (YAML): TLS, client certificates, basic auth, response"
              + " headers; the same file as planet-exporter's -web.config.file.");

  /**
   * How to reach Prometheus and how long to wait: the flags {@code planet-map diff} shares, read by
   * {@link #prometheus} and {@link #timeout}.
   */
  static final List<Flag> PROMETHEUS_FLAGS =
      List.of(
          PROMETHEUS_URL,
          BASIC_AUTH_USERNAME,
          BASIC_AUTH_PASSWORD_FILE,
          BEARER_TOKEN_FILE,
          TLS_CA_FILE,
          TLS_CERT_FILE,
          TLS_KEY_FILE,
          MAX_RESPONSE_SIZE,
          MAX_SERIES,
          QUERY_TIMEOUT);

  private static final Map<String, Flag> FLAGS =
      catalog(
          PROMETHEUS_FLAGS,
          List.of(
              LISTEN_ADDRESS,
              FLEET_GRAPH_INTERVAL,
              FLEET_GRAPH_RANGE,
              WEB_CONFIG_FILE,
              WebFront.CONNECTIONS_PER_ADDRESS_FLAG,
              LogSettings.LEVEL_FLAG,
              LogSettings.FORMAT_FLAG));

  private static final FlagCatalog CATALOG = name -> Optional.ofNullable(FLAGS.get(name));

  private MapCommandLine() {}

  /** The text of {@code -h}. */
  static String help() {
    StringBuilder text =
        new StringBuilder(
            "Usage: planet-map [flags]\n\nServes the fleet's dependency map, drawn from"
                + " Prometheus.\nFlags are written -name or --name, with -name=value or -name"
                + " value.\nplanet-map diff -h: the command that prints what changed between two"
                + " times.\n\n");
    FLAGS.values().forEach(flag -> flag.appendUsage(text));
    return text.toString();
  }

  /** The flags of both lists by name, in order. */
  static Map<String, Flag> catalog(List<Flag> first, List<Flag> more) {
    Map<String, Flag> flags = new LinkedHashMap<>();
    for (List<Flag> list : List.of(first, more)) {
      list.forEach(flag -> flags.put(flag.name(), flag));
    }
    return flags;
  }

  /**
   * Reads the flags.
   *
   * @return empty when help was asked for
   * @throws ConfigurationException naming the flag when one is unknown or a value is bad
   */
  static Optional<MapSettings> parse(List<String> args) throws ConfigurationException {
    OptionSources sources = OptionSources.read(args, Map.of(), CATALOG);
    if (sources.helpAsked()) {
      return Optional.empty();
    }
    Duration timeout = timeout(sources);
    Duration fleetInterval = duration(sources.value(FLEET_GRAPH_INTERVAL), true);
    Duration fleetRange = duration(sources.value(FLEET_GRAPH_RANGE), false);
    ListenAddress listen = ListenAddress.parse(sources.value(LISTEN_ADDRESS));
    LogSettings log =
        LogSettings.read(
            sources.value(LogSettings.LEVEL_FLAG),
            sources.value(LogSettings.FORMAT_FLAG),
            true,
            true);
    String webConfig = sources.value(WEB_CONFIG_FILE).text();
    WebSecurity web = webConfig.isEmpty() ? WebSecurity.NONE : WebSecurity.load(Path.of(webConfig));
    return Optional.of(
        new MapSettings(
            prometheus(sources),
            listen.host(),
            listen.port(),
            timeout,
            fleetInterval,
            fleetRange,
            web,
            WebFront.connectionsPerAddress(sources.value(WebFront.CONNECTIONS_PER_ADDRESS_FLAG)),
            log));
  }

  /** The flag's duration: more than 0s, or also 0s when {@code zero} is allowed. */
  private static Duration duration(OptionValue value, boolean zero) throws ConfigurationException {
    Duration duration;
    try {
      duration = GoDuration.parse(value.text());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(value.origin() + ": " + e.getMessage(), e);
    }
    if (duration.isNegative() || duration.isZero() && !zero) {
      throw new ConfigurationException(
          value.origin() + ": must be " + (zero ? "0s or more" : "more than 0s"));
    }
    return duration;
  }

  /** {@code -query-timeout}, more than 0s. */
  static Duration timeout(OptionSources sources) throws ConfigurationException {
    return duration(sources.value(QUERY_TIMEOUT), false);
  }

  /** The Prometheus flags, checked: a file that cannot be read stops the start with its flag. */
  static PrometheusSettings prometheus(OptionSources sources) throws ConfigurationException {
    URI url = url(sources.value(PROMETHEUS_URL));
    Optional<String> user = nonEmpty(sources.value(BASIC_AUTH_USERNAME));
    Optional<Path> password = file(sources, BASIC_AUTH_PASSWORD_FILE);
    Optional<Path> token = file(sources, BEARER_TOKEN_FILE);
    if (user.isPresent() != password.isPresent()) {
      throw new ConfigurationException(
          flagName(user.isPresent() ? BASIC_AUTH_PASSWORD_FILE : BASIC_AUTH_USERNAME)
              + ": give -prometheus-basic-auth-username and -prometheus-basic-auth-password-file"
              + " both or neither");
    }
    if (url.getRawUserInfo() != null && (user.isPresent() || token.isPresent())) {
      throw new ConfigurationException(
          flagName(user.isPresent() ? BASIC_AUTH_USERNAME : BEARER_TOKEN_FILE)
              + ": -prometheus-url has a user already; give the credentials one way");
    }
    if (user.isPresent() && token.isPresent()) {
      throw new ConfigurationException(
          flagName(BEARER_TOKEN_FILE) + ": give basic auth or a bearer token, not both");
    }
    PrometheusTls tls =
        new PrometheusTls(
            file(sources, TLS_CA_FILE), file(sources, TLS_CERT_FILE), file(sources, TLS_KEY_FILE));
    if (!tls.isEmpty() && !"https".equals(url.getScheme())) {
      throw new ConfigurationException(
          firstGiven(sources, TLS_CA_FILE, TLS_CERT_FILE, TLS_KEY_FILE)
              + ": -prometheus-url is not https");
    }
    // Read once now, so that a bad file stops the start with its flag named.
    tls.context();
    return new PrometheusSettings(
        url,
        new FetchAuth(user, password, token, Optional.empty(), false),
        tls,
        positive(sources, MAX_RESPONSE_SIZE, Long.MAX_VALUE),
        (int) positive(sources, MAX_SERIES, Integer.MAX_VALUE));
  }

  /** The URL, its password never shown in an error. */
  private static URI url(OptionValue url) throws ConfigurationException {
    URI prometheus;
    try {
      prometheus = new URI(url.text());
    } catch (URISyntaxException e) {
      throw new ConfigurationException(
          url.origin() + ": " + Redaction.text(String.valueOf(e.getMessage())), e);
    }
    if (!"http".equals(prometheus.getScheme()) && !"https".equals(prometheus.getScheme())
        || prometheus.getHost() == null) {
      throw new ConfigurationException(
          url.origin()
              + ": want http(s)://host:port[/path], got \""
              + Redaction.text(url.text())
              + "\"");
    }
    return prometheus;
  }

  private static Optional<String> nonEmpty(OptionValue value) {
    String text = value.text().strip();
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  /** A file the map reads; checked now so that a typo stops the start, not the first request. */
  private static Optional<Path> file(OptionSources sources, Flag flag)
      throws ConfigurationException {
    OptionValue value = sources.value(flag);
    Optional<Path> file = nonEmpty(value).map(Path::of);
    if (file.isPresent() && !Files.isReadable(file.get())) {
      throw new ConfigurationException(value.origin() + ": cannot read " + file.get());
    }
    return file;
  }

  private static String firstGiven(OptionSources sources, Flag... flags) {
    for (Flag flag : flags) {
      OptionValue value = sources.value(flag);
      if (!value.text().isBlank()) {
        return value.origin().toString();
      }
    }
    throw new IllegalStateException("none of the flags is given");
  }

  private static String flagName(Flag flag) {
    return "-" + flag.name();
  }

  /** The flag's number, from 1 to {@code max}. */
  private static long positive(OptionSources sources, Flag flag, long max)
      throws ConfigurationException {
    OptionValue value = sources.value(flag);
    long number;
    try {
      number = (Long) flag.read(value.text());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(value.origin() + ": " + e.getMessage(), e);
    }
    if (number <= 0 || number > max) {
      throw new ConfigurationException(
          value.origin() + ": must be from 1 to " + max + ", got " + value.text());
    }
    return number;
  }
}
