package io.planetexporter.map;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.GoDuration;
import io.planetexporter.api.OptionType;
import io.planetexporter.server.LogSettings;
import io.planetexporter.server.WebSecurity;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

/**
 * planet-map's flags, in the exporter's style: {@code -name value}, {@code -name=value}, one or two
 * dashes, durations in Go syntax; an unknown flag or a bad value is one clear error.
 */
final class MapCommandLine {

  /** A flag: its type, default and one line of help. */
  private record Option(OptionType type, String defaultValue, String help) {}

  private static final Map<String, Option> OPTIONS = new LinkedHashMap<>();

  static {
    OPTIONS.put(
        "prometheus-url",
        new Option(
            OptionType.STRING,
            "http://localhost:9090",
            "Base URL of the Prometheus HTTP API (or of Thanos, Mimir, VictoriaMetrics)."));
    OPTIONS.put(
        "listen-address",
        new Option(OptionType.STRING, ":19200", "Address to serve the map on, host:port."));
    OPTIONS.put(
        "query-timeout",
        new Option(
            OptionType.DURATION,
            "10s",
            "Deadline of one map request, all its Prometheus queries included."));
    OPTIONS.put(
        "web.config.file",
        new Option(
            OptionType.STRING,
            "",
            "Exporter-toolkit web config (YAML): TLS, client certificates, basic auth, response"
                + " headers; the same file as planet-exporter's -web.config.file."));
    OPTIONS.put(
        "log-level",
        new Option(OptionType.STRING, "info", "Log level: debug, info, warn or error."));
    OPTIONS.put(
        "log-format", new Option(OptionType.STRING, "logfmt", "Log format: logfmt or json."));
  }

  private static final Map<String, Level> LEVELS =
      Map.of("debug", Level.FINE, "info", Level.INFO, "warn", Level.WARNING, "error", Level.SEVERE);

  private MapCommandLine() {}

  /** The text of {@code -h}. */
  static String help() {
    StringBuilder text =
        new StringBuilder(
            "Usage: planet-map [flags]\n\nServes the fleet's dependency map, drawn from"
                + " Prometheus.\nFlags are written -name or --name, with -name=value or -name"
                + " value.\n\n");
    OPTIONS.forEach(
        (name, option) ->
            text.append("  -")
                .append(name)
                .append(option.type() == OptionType.DURATION ? " duration" : " string")
                .append("\n        ")
                .append(option.help())
                .append(" (default \"")
                .append(option.defaultValue())
                .append("\")\n"));
    return text.toString();
  }

  /**
   * Reads the flags.
   *
   * @return empty when help was asked for
   * @throws ConfigurationException naming the flag when one is unknown or a value is bad
   */
  static Optional<MapSettings> parse(List<String> args) throws ConfigurationException {
    Map<String, String> values = new LinkedHashMap<>();
    OPTIONS.forEach((name, option) -> values.put(name, option.defaultValue()));
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String body =
          arg.startsWith("--") ? arg.substring(2) : arg.startsWith("-") ? arg.substring(1) : "";
      if (body.isEmpty() || body.startsWith("-") || body.startsWith("=")) {
        throw new ConfigurationException("unexpected argument \"" + arg + "\" (see -h)");
      }
      int equals = body.indexOf('=');
      String name = equals < 0 ? body : body.substring(0, equals);
      if (name.equals("h") || name.equals("help")) {
        return Optional.empty();
      }
      if (!OPTIONS.containsKey(name)) {
        throw new ConfigurationException("unknown flag -" + name + " (see -h)");
      }
      if (equals >= 0) {
        values.put(name, body.substring(equals + 1));
      } else if (i + 1 < args.size()) {
        values.put(name, args.get(++i));
      } else {
        throw new ConfigurationException("flag needs a value: -" + name);
      }
    }
    return Optional.of(settings(values));
  }

  private static MapSettings settings(Map<String, String> values) throws ConfigurationException {
    Duration timeout;
    try {
      timeout = GoDuration.parse(values.get("query-timeout"));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("-query-timeout: " + e.getMessage(), e);
    }
    if (timeout.isZero() || timeout.isNegative()) {
      throw new ConfigurationException("-query-timeout: must be more than 0s");
    }
    URI prometheus;
    try {
      prometheus = new URI(values.get("prometheus-url"));
    } catch (URISyntaxException e) {
      throw new ConfigurationException("-prometheus-url: " + e.getMessage(), e);
    }
    if (!"http".equals(prometheus.getScheme()) && !"https".equals(prometheus.getScheme())
        || prometheus.getHost() == null) {
      throw new ConfigurationException(
          "-prometheus-url: want http(s)://host:port[/path], got \""
              + values.get("prometheus-url")
              + "\"");
    }
    String listen = values.get("listen-address");
    int colon = listen.lastIndexOf(':');
    int port = -1;
    if (colon >= 0) {
      try {
        port = Integer.parseInt(listen.substring(colon + 1));
      } catch (NumberFormatException ignored) {
        // reported below
      }
    }
    if (port < 0 || port > 65535) {
      throw new ConfigurationException("-listen-address: \"" + listen + "\" is not host:port");
    }
    String host = listen.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    Level level = LEVELS.get(values.get("log-level"));
    if (level == null) {
      throw new ConfigurationException(
          "-log-level: unknown level \""
              + values.get("log-level")
              + "\" (want debug, info, warn or error)");
    }
    String format = values.get("log-format");
    if (!format.equals("logfmt") && !format.equals("json")) {
      throw new ConfigurationException(
          "-log-format: unknown format \"" + format + "\" (want logfmt or json)");
    }
    String webConfig = values.get("web.config.file");
    WebSecurity web = webConfig.isEmpty() ? WebSecurity.NONE : WebSecurity.load(Path.of(webConfig));
    return new MapSettings(
        prometheus,
        host,
        port,
        timeout,
        web,
        new LogSettings(level, format.equals("json"), true, true));
  }
}
