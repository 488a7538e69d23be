package io.planetexporter.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.planetexporter.api.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code -web.config.file} as written: the YAML of Prometheus's exporter-toolkit, so that an
 * operator's existing file works unchanged. Every key of the toolkit is known; any other key is an
 * error.
 *
 * @param tlsServerConfig {@code tls_server_config}, null without TLS
 * @param httpServerConfig {@code http_server_config}, may be null
 * @param basicAuthUsers {@code basic_auth_users}: user to bcrypt hash, may be null
 * @param rateLimit {@code rate_limit}, may be null
 */
record WebConfigFile(
    TlsServerConfig tlsServerConfig,
    HttpServerConfig httpServerConfig,
    Map<String, String> basicAuthUsers,
    RateLimit rateLimit) {

  /** {@code tls_server_config}; null for what is not given. */
  record TlsServerConfig(
      String cert,
      String key,
      String clientCa,
      String certFile,
      String keyFile,
      String clientAuthType,
      String clientCaFile,
      List<String> clientAllowedSans,
      String minVersion,
      String maxVersion,
      List<String> cipherSuites,
      Boolean preferServerCipherSuites,
      List<String> curvePreferences) {}

  /** {@code http_server_config}; {@code http2} is accepted and has no effect (HTTP/1.1 only). */
  record HttpServerConfig(Boolean http2, Map<String, String> headers) {}

  /** {@code rate_limit}: at most one request per interval after a burst; interval 0 disables. */
  record RateLimit(String interval, Integer burst) {}

  private static final ObjectMapper mapper =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /**
   * Reads the file.
   *
   * @throws ConfigurationException on one line naming the file and the key when the file cannot be
   *     read, is not YAML, has an unknown key or a value of the wrong type
   */
  static WebConfigFile read(Path file) throws ConfigurationException {
    String where = "-web.config.file: " + file;
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException(where + ": no such file", e);
    } catch (IOException e) {
      throw new ConfigurationException(where + ": cannot read it: " + e.getMessage(), e);
    }
    if (text.isBlank()) {
      return new WebConfigFile(null, null, null, null);
    }
    try {
      WebConfigFile config = mapper.readValue(text, WebConfigFile.class);
      return config == null ? new WebConfigFile(null, null, null, null) : config;
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigurationException(
          where + ": unknown key \"" + path(e) + "\" (see the exporter-toolkit's web config)", e);
    } catch (JsonMappingException e) {
      throw new ConfigurationException(
          where + ": bad value of \"" + path(e) + "\": " + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new ConfigurationException(where + ": not YAML: " + e.getOriginalMessage(), e);
    }
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : Integer.toString(r.getIndex()))
        .collect(Collectors.joining("."));
  }
}
