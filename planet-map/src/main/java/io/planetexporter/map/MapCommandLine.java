package io.planetexporter.map;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.GoDuration;
import io.planetexporter.api.OptionType;
import io.planetexporter.web.Flag;
import io.planetexporter.web.FlagCatalog;
import io.planetexporter.web.ListenAddress;
import io.planetexporter.web.LogSettings;
import io.planetexporter.web.OptionSources;
import io.planetexporter.web.OptionValue;
import io.planetexporter.web.WebSecurity;
import java.net.URI;
import java.net.URISyntaxException;
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
          "Base URL of the Prometheus HTTP API (or of Thanos, Mimir, VictoriaMetrics).");
  private static final Flag LISTEN_ADDRESS =
      Flag.of(
          "listen-address", OptionType.STRING, ":19200", "Address to serve the map on, host:port.");
  private static final Flag QUERY_TIMEOUT =
      Flag.of(
          "query-timeout",
          OptionType.DURATION,
          "10s",
          "Deadline of one map request, all its Prometheus queries included.");
  private static final Flag WEB_CONFIG_FILE =
      Flag.of(
          "web.config.file",
          OptionType.STRING,
          "",
          "Exporter-toolkit web config (YAML): TLS, client certificates, basic auth, response"
              + " headers; the same file as planet-exporter's -web.config.file.");

  private static final Map<String, Flag> FLAGS = new LinkedHashMap<>();

  static {
    for (Flag flag :
        List.of(
            PROMETHEUS_URL,
            LISTEN_ADDRESS,
            QUERY_TIMEOUT,
            WEB_CONFIG_FILE,
            LogSettings.LEVEL_FLAG,
            LogSettings.FORMAT_FLAG)) {
      FLAGS.put(flag.name(), flag);
    }
  }

  private static final FlagCatalog CATALOG = name -> Optional.ofNullable(FLAGS.get(name));

  private MapCommandLine() {}

  /** The text of {@code -h}. */
  static String help() {
    StringBuilder text =
        new StringBuilder(
            "Usage: planet-map [flags]\n\nServes the fleet's dependency map, drawn from"
                + " Prometheus.\nFlags are written -name or --name, with -name=value or -name"
                + " value.\n\n");
    FLAGS.values().forEach(flag -> flag.appendUsage(text));
    return text.toString();
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
    OptionValue timeoutText = sources.value(QUERY_TIMEOUT);
    Duration timeout;
    try {
      timeout = GoDuration.parse(timeoutText.text());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(timeoutText.origin() + ": " + e.getMessage(), e);
    }
    if (timeout.isZero() || timeout.isNegative()) {
      throw new ConfigurationException(timeoutText.origin() + ": must be more than 0s");
    }
    OptionValue url = sources.value(PROMETHEUS_URL);
    URI prometheus;
    try {
      prometheus = new URI(url.text());
    } catch (URISyntaxException e) {
      throw new ConfigurationException(url.origin() + ": " + e.getMessage(), e);
    }
    if (!"http".equals(prometheus.getScheme()) && !"https".equals(prometheus.getScheme())
        || prometheus.getHost() == null) {
      throw new ConfigurationException(
          url.origin() + ": want http(s)://host:port[/path], got \"" + url.text() + "\"");
    }
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
        new MapSettings(prometheus, listen.host(), listen.port(), timeout, web, log));
  }
}
